import type { DescMessage } from '@bufbuild/protobuf';

/**
 * Where and how one event travels: the payload's message schema, the Kafka topic of its aggregate
 * (`<service>.<aggregate>.v<major>`) and its CloudEvents type (`crm.<service>.<aggregate>.<event>.v<major>`).
 *
 * Instances are generated from the `(crm.platform.v1.event)` option in proto/; the messaging library
 * uses the schema to encode and decode the payload as proto3 canonical JSON.
 */
export interface EventContract<Schema extends DescMessage = DescMessage> {
  readonly schema: Schema;
  readonly topic: string;
  readonly type: string;
}
