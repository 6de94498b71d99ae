import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import { decodeEvent, type EventContractRef } from './codec';
import type { ReceivedEvent } from './envelope';

export type EventHandlerFn<T = unknown> = (event: ReceivedEvent<T>, manager: EntityManager) => Promise<void>;

export interface HandlerRegistration {
  topic: string;
  /** The `ce_type` handled; events of other types on the topic are acknowledged and ignored. */
  type: string;
  decode(json: string): unknown;
  handle: EventHandlerFn;
}

/** A typed handler for one event contract: the payload is decoded from canonical JSON before the call. */
export function handlerFor<S extends DescMessage>(
  contract: EventContractRef<S>,
  handle: EventHandlerFn<MessageShape<S>>,
): HandlerRegistration {
  return { topic: contract.topic, type: contract.type, decode: (json) => decodeEvent(contract, json), handle: handle as EventHandlerFn };
}

export function indexHandlers(handlers: HandlerRegistration[]): Map<string, HandlerRegistration> {
  const byType = new Map<string, HandlerRegistration>();
  for (const handler of handlers) {
    const key = `${handler.topic}|${handler.type}`;
    if (byType.has(key)) throw new Error(`two handlers for ${handler.type} on ${handler.topic} in one consumer group`);
    byType.set(key, handler);
  }
  return byType;
}
