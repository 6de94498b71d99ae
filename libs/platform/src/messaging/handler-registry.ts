import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import { decodeEvent, type EventContractRef } from './codec';
import type { ReceivedEvent } from './envelope';

export type EventHandlerFn<T = unknown> = (event: ReceivedEvent<T>, manager: EntityManager) => Promise<void>;
export type BatchEventHandlerFn<T = unknown> = (events: Array<ReceivedEvent<T>>, manager: EntityManager) => Promise<void>;

export interface HandlerRegistration {
  topic: string;
  /** The `ce_type` handled; events of other types on the topic are acknowledged and ignored. */
  type: string;
  decode(json: string): unknown;
  /** One event at a time, inside that event's request context (tenant, trace). */
  handle?: EventHandlerFn;
  /**
   * Consecutive events of the type at once (in order, possibly of several tenants), so projections
   * can write set-based. Retries and dead-lettering still isolate single events.
   */
  handleBatch?: BatchEventHandlerFn;
}

/** A typed handler for one event contract: the payload is decoded from canonical JSON before the call. */
export function handlerFor<S extends DescMessage>(
  contract: EventContractRef<S>,
  handle: EventHandlerFn<MessageShape<S>>,
): HandlerRegistration {
  return { topic: contract.topic, type: contract.type, decode: (json) => decodeEvent(contract, json), handle: handle as EventHandlerFn };
}

/** A set-based handler for one event contract (read models fed by high-volume topics). */
export function batchHandlerFor<S extends DescMessage>(
  contract: EventContractRef<S>,
  handleBatch: BatchEventHandlerFn<MessageShape<S>>,
): HandlerRegistration {
  return { topic: contract.topic, type: contract.type, decode: (json) => decodeEvent(contract, json), handleBatch: handleBatch as BatchEventHandlerFn };
}

export function indexHandlers(handlers: HandlerRegistration[]): Map<string, HandlerRegistration> {
  const byType = new Map<string, HandlerRegistration>();
  for (const handler of handlers) {
    if (!handler.handle === !handler.handleBatch) throw new Error(`handler for ${handler.type} must have exactly one of handle / handleBatch`);
    const key = `${handler.topic}|${handler.type}`;
    if (byType.has(key)) throw new Error(`two handlers for ${handler.type} on ${handler.topic} in one consumer group`);
    byType.set(key, handler);
  }
  return byType;
}
