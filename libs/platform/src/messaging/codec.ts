import { fromJsonString, toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { PoisonMessageError } from './dead-letter';

/** The parts of a generated event contract the runtime needs (see libs/contracts). */
export interface EventContractRef<Schema extends DescMessage = DescMessage> {
  schema: Schema;
  topic: string;
  type: string;
}

/** Proto3 canonical JSON: what every integrator can read off the topic. */
export function encodeEvent<S extends DescMessage>(contract: EventContractRef<S>, message: MessageShape<S>): string {
  return toJsonString(contract.schema, message);
}

/** Unknown fields are ignored so producers can add optional fields without breaking consumers. */
export function decodeEvent<S extends DescMessage>(contract: EventContractRef<S>, json: string): MessageShape<S> {
  try {
    return fromJsonString(contract.schema, json, { ignoreUnknownFields: true });
  } catch (error) {
    throw new PoisonMessageError(`payload is not a valid ${contract.schema.typeName}: ${(error as Error).message}`, { cause: error });
  }
}
