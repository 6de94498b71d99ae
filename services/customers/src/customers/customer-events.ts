import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CustomerCreatedEvent,
  CustomerCreatedSchema,
  CustomerDeletedEvent,
  CustomerDeletedSchema,
  CustomerErasedEvent,
  CustomerErasedSchema,
  CustomerMergedEvent,
  CustomerMergedSchema,
  CustomerMergeUndoneEvent,
  CustomerMergeUndoneSchema,
  CustomerOwnerChangedEvent,
  CustomerOwnerChangedSchema,
  CustomerTaggedEvent,
  CustomerTaggedSchema,
  CustomerUpdatedEvent,
  CustomerUpdatedSchema,
} from '@crm/contracts';
import { EventBus, type EventContractRef } from '@crm/platform/messaging';
import { CustomerChangeFollower } from '../profile/customer-change-follower';
import type { CustomerEntity } from './customer.entity';
import { toCustomerSnapshot } from './customer.mapper';

/** What one write did to one customer, as far as events are concerned. */
export type CustomerChange =
  | { kind: 'created'; customer: CustomerEntity }
  | {
      kind: 'changed';
      customer: CustomerEntity;
      /** REST names of changed fields other than ownerId and tags. */
      fields: readonly string[];
      owner?: { from: string | null; to: string | null };
      tags?: { added: readonly string[]; removed: readonly string[] };
      changedBy: string | null;
    }
  | { kind: 'deleted'; customer: CustomerEntity }
  /** Personal data erased on a privacy request; only ids and the new version travel. */
  | { kind: 'erased'; customer: CustomerEntity; requestId: string }
  /** `customer` is the survivor after the merge; the merged customers get no event of their own. */
  | { kind: 'merged'; customer: CustomerEntity; mergeId: string; mergedIds: readonly string[]; mergedBy: string | null }
  | { kind: 'mergeUndone'; customer: CustomerEntity; mergeId: string; restored: readonly CustomerEntity[]; undoneBy: string | null };

type Outgoing = { contract: EventContractRef; item: { message: never; subject: string; tenantId: string } };

/**
 * Publishes customers.customer.v1 through the outbox, in the transaction of the change: a new owner is
 * CustomerOwnerChanged, new tags CustomerTagged, anything else CustomerUpdated (with the whole record);
 * one change may produce several, all with the customer's new version. Events keep the order of the
 * changes, and consecutive events of one type go to the outbox in one insert, so a batch stays cheap.
 */
@Injectable()
export class CustomerEvents {
  constructor(
    private readonly eventBus: EventBus,
    private readonly follower: CustomerChangeFollower,
  ) {}

  async publish(manager: EntityManager, changes: readonly CustomerChange[]): Promise<void> {
    const outgoing = changes.flatMap(eventsOf);
    for (let start = 0; start < outgoing.length; ) {
      let end = start + 1;
      while (end < outgoing.length && outgoing[end].contract === outgoing[start].contract) end++;
      await this.eventBus.publishMany(manager, outgoing[start].contract, outgoing.slice(start, end).map((event) => event.item));
      start = end;
    }
    // The timeline and the 360° profile follow every change in its transaction: they never disagree with the events.
    await this.follower.follow(manager, changes);
  }
}

function eventsOf(change: CustomerChange): Outgoing[] {
  const { customer } = change;
  const base = { tenantId: customer.tenantId, customerId: customer.id, version: BigInt(customer.version) };
  const event = <S extends DescMessage>(contract: EventContractRef<S>, message: MessageShape<S>): Outgoing => ({
    contract: contract as EventContractRef,
    item: { message: message as never, subject: customer.id, tenantId: customer.tenantId },
  });
  switch (change.kind) {
    case 'created':
      return [event(CustomerCreatedEvent, create(CustomerCreatedSchema, { ...base, customer: toCustomerSnapshot(customer) }))];
    case 'deleted':
      return [event(CustomerDeletedEvent, create(CustomerDeletedSchema, { ...base, externalId: customer.externalId ?? '' }))];
    case 'erased':
      return [event(CustomerErasedEvent, create(CustomerErasedSchema, { ...base, requestId: change.requestId }))];
    case 'merged':
      return [
        event(
          CustomerMergedEvent,
          create(CustomerMergedSchema, { ...base, mergeId: change.mergeId, mergedCustomerIds: [...change.mergedIds], customer: toCustomerSnapshot(customer), mergedBy: change.mergedBy ?? '' }),
        ),
      ];
    case 'mergeUndone': {
      const restored = change.restored.map((row) => ({ customerId: row.id, customer: toCustomerSnapshot(row), version: BigInt(row.version) }));
      return [
        event(
          CustomerMergeUndoneEvent,
          create(CustomerMergeUndoneSchema, { ...base, mergeId: change.mergeId, customer: toCustomerSnapshot(customer), restored, undoneBy: change.undoneBy ?? '' }),
        ),
      ];
    }
    case 'changed': {
      const events: Outgoing[] = [];
      if (change.fields.length > 0) {
        events.push(event(CustomerUpdatedEvent, create(CustomerUpdatedSchema, { ...base, customer: toCustomerSnapshot(customer), changedFields: [...change.fields] })));
      }
      if (change.owner) {
        const { from, to } = change.owner;
        events.push(
          event(CustomerOwnerChangedEvent, create(CustomerOwnerChangedSchema, { ...base, previousOwnerId: from ?? '', ownerId: to ?? '', changedBy: change.changedBy ?? '' })),
        );
      }
      if (change.tags) {
        const { added, removed } = change.tags;
        events.push(event(CustomerTaggedEvent, create(CustomerTaggedSchema, { ...base, added: [...added], removed: [...removed], tags: [...customer.tags] })));
      }
      return events;
    }
  }
}
