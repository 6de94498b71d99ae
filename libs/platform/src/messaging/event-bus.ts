import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import { encodeEvent, type EventContractRef } from './codec';
import { appendToOutbox } from './outbox';

export interface PublishOptions {
  /** The aggregate id; defaults to nothing, so callers must say which aggregate the event is about. */
  subject: string;
  tenantId: string;
  id?: string;
}

/**
 * The one way a service emits events: inside its own database transaction, through the outbox.
 * The relay delivers them after commit; nothing is sent for a transaction that rolls back.
 */
export class EventBus {
  async publish<S extends DescMessage>(
    manager: EntityManager,
    contract: EventContractRef<S>,
    message: MessageShape<S>,
    options: PublishOptions,
  ): Promise<string> {
    const [id] = await appendToOutbox(manager, [
      { topic: contract.topic, type: contract.type, subject: options.subject, tenantId: options.tenantId, data: encodeEvent(contract, message), id: options.id },
    ]);
    return id;
  }

  async publishMany<S extends DescMessage>(
    manager: EntityManager,
    contract: EventContractRef<S>,
    items: Array<{ message: MessageShape<S> } & PublishOptions>,
  ): Promise<string[]> {
    return appendToOutbox(
      manager,
      items.map((item) => ({ topic: contract.topic, type: contract.type, subject: item.subject, tenantId: item.tenantId, data: encodeEvent(contract, item.message), id: item.id })),
    );
  }
}
