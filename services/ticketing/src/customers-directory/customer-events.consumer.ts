import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CustomerCreatedEvent,
  CustomerDeletedEvent,
  CustomerErasedEvent,
  CustomerMergedEvent,
  CustomerMergeUndoneEvent,
  CustomerOwnerChangedEvent,
  CustomerScoresChangedEvent,
  CustomerUpdatedEvent,
  type Customer,
  type CustomerCreated,
  type CustomerDeleted,
  type CustomerErased,
  type CustomerMerged,
  type CustomerMergeUndone,
  type CustomerOwnerChanged,
  type CustomerScoresChanged,
  type CustomerUpdated,
} from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import { mergedCustomersOf, openCustomerEvent, ownerIdOf, type AnyCustomerEvent } from '@crm/platform/customer-references';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { CustomerDirectoryRepository, type DirectoryCustomer } from './customer-directory.repository';
import { CustomerReferences } from './customer-references';
import { CustomerTierSync } from './customer-tier-sync';

/**
 * Keeps the customer directory from customers.customer.v1 and analytics.score.v1, follows merges (the
 * merged customers' tickets move to the survivor, and back on undo) and hands tier changes on to the
 * customer's active tickets.
 */
@Injectable()
export class CustomerEventsConsumer {
  constructor(
    private readonly directory: CustomerDirectoryRepository,
    private readonly references: CustomerReferences,
    private readonly tiers: CustomerTierSync,
  ) {}

  @OnEvent(CustomerCreatedEvent)
  onCreated(event: ReceivedEvent<CustomerCreated>, manager: EntityManager): Promise<void> {
    return this.upsert(event, event.data.customer, manager);
  }

  @OnEvent(CustomerUpdatedEvent)
  onUpdated(event: ReceivedEvent<CustomerUpdated>, manager: EntityManager): Promise<void> {
    return this.upsert(event, event.data.customer, manager);
  }

  @OnEvent(CustomerOwnerChangedEvent)
  async onOwnerChanged(event: ReceivedEvent<CustomerOwnerChanged>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.directory.changeOwner(manager, tenantId, customerId, ownerIdOf(customerId, event.data.ownerId), version);
  }

  @OnEvent(CustomerDeletedEvent)
  async onDeleted(event: ReceivedEvent<CustomerDeleted>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.directory.retire(manager, tenantId, customerId, 'deleted', version);
  }

  @OnEvent(CustomerErasedEvent)
  async onErased(event: ReceivedEvent<CustomerErased>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.directory.retire(manager, tenantId, customerId, 'erased', version);
  }

  @OnEvent(CustomerMergedEvent)
  async onMerged(event: ReceivedEvent<CustomerMerged>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    const { mergeId, mergedIds } = mergedCustomersOf(event.data, customerId);
    await this.apply(manager, toDirectoryCustomer(tenantId, customerId, event.data.customer, version));
    // The merged customers' own events stop here; their versions are not told, so the survivor's stands in.
    for (const mergedId of mergedIds) await this.directory.retire(manager, tenantId, mergedId, 'merged', 0, customerId);
    await this.references.repoint(manager, tenantId, mergeId, customerId, mergedIds);
    await this.syncTier(manager, tenantId, customerId);
  }

  @OnEvent(CustomerMergeUndoneEvent)
  async onMergeUndone(event: ReceivedEvent<CustomerMergeUndone>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.apply(manager, toDirectoryCustomer(tenantId, customerId, event.data.customer, version));
    for (const restored of event.data.restored) {
      if (!isUuid(restored.customerId)) throw new PoisonMessageError(`undo of merge ${event.data.mergeId}: a restored customer has no valid id`);
      await this.apply(manager, toDirectoryCustomer(tenantId, restored.customerId.toLowerCase(), restored.customer, Number(restored.version)));
    }
    await this.references.restore(manager, tenantId, event.data.mergeId, customerId);
    for (const restored of event.data.restored) await this.syncTier(manager, tenantId, restored.customerId.toLowerCase());
  }

  @OnEvent(CustomerScoresChangedEvent)
  async onScoresChanged(event: ReceivedEvent<CustomerScoresChanged>, manager: EntityManager): Promise<void> {
    const { data } = event;
    if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`scores for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
    if (!isUuid(data.customerId)) throw new PoisonMessageError(`scores without a valid customer id (${JSON.stringify(data.customerId)})`);
    const computedAt = new Date(data.computedAt);
    if (Number.isNaN(computedAt.getTime())) throw new PoisonMessageError(`scores of ${data.customerId}: computedAt ${JSON.stringify(data.computedAt)} is not a time`);
    const valueTier = ['A', 'B', 'C'].includes(data.valueTier) ? data.valueTier : '';
    await withTenant(manager, data.tenantId);
    const customerId = data.customerId.toLowerCase();
    if (await this.directory.applyScores(manager, data.tenantId, customerId, { vip: data.vip, valueTier, computedAt })) await this.syncTier(manager, data.tenantId, customerId);
  }

  private async upsert(event: ReceivedEvent<AnyCustomerEvent>, customer: Customer | undefined, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.apply(manager, toDirectoryCustomer(tenantId, customerId, customer, version));
  }

  private async apply(manager: EntityManager, customer: DirectoryCustomer): Promise<void> {
    if (await this.directory.upsert(manager, customer)) await this.syncTier(manager, customer.tenantId, customer.id);
  }

  private async syncTier(manager: EntityManager, tenantId: string, customerId: string): Promise<void> {
    await this.tiers.onTierChanged(manager, tenantId, customerId, await this.directory.tierOf(manager, customerId));
  }
}

function toDirectoryCustomer(tenantId: string, id: string, customer: Customer | undefined, version: number): DirectoryCustomer {
  if (!customer) throw new PoisonMessageError(`customer ${id} arrives without its record`);
  return {
    id,
    tenantId,
    type: customer.type || 'person',
    name: customer.name,
    ownerId: ownerIdOf(id, customer.ownerId),
    valueTier: ['A', 'B', 'C'].includes(customer.valueTier) ? customer.valueTier : '',
    keyAccount: customer.keyAccount,
    phones: customer.phones,
    emails: customer.emails,
    version,
  };
}
