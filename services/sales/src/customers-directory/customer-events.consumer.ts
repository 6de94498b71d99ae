import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CustomerCreatedEvent,
  CustomerDeletedEvent,
  CustomerErasedEvent,
  CustomerMergedEvent,
  CustomerMergeUndoneEvent,
  CustomerOwnerChangedEvent,
  CustomerUpdatedEvent,
  type Customer,
  type CustomerCreated,
  type CustomerDeleted,
  type CustomerErased,
  type CustomerMerged,
  type CustomerMergeUndone,
  type CustomerOwnerChanged,
  type CustomerUpdated,
} from '@crm/contracts';
import { mergedCustomersOf, openCustomerEvent, ownerIdOf, type AnyCustomerEvent } from '@crm/platform/customer-references';
import { isUuid } from '@crm/platform/api';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { CustomerDirectoryRepository, type DirectoryCustomer } from './customer-directory.repository';
import { CustomerReferences } from './customer-references';

/**
 * Keeps the customer directory from customers.customer.v1 and follows merges: the merged customers'
 * leads, deals and activities move to the survivor, and back when the merge is undone.
 */
@Injectable()
export class CustomerEventsConsumer {
  constructor(
    private readonly directory: CustomerDirectoryRepository,
    private readonly references: CustomerReferences,
  ) {}

  @OnEvent(CustomerCreatedEvent)
  async onCreated(event: ReceivedEvent<CustomerCreated>, manager: EntityManager): Promise<void> {
    await this.upsert(event, event.data.customer, manager);
  }

  @OnEvent(CustomerUpdatedEvent)
  async onUpdated(event: ReceivedEvent<CustomerUpdated>, manager: EntityManager): Promise<void> {
    await this.upsert(event, event.data.customer, manager);
  }

  @OnEvent(CustomerOwnerChangedEvent)
  async onOwnerChanged(event: ReceivedEvent<CustomerOwnerChanged>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    const owner = ownerIdOf(customerId, event.data.ownerId);
    await this.directory.changeOwner(manager, tenantId, customerId, owner, version);
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
    await this.directory.upsert(manager, toDirectoryCustomer(tenantId, customerId, event.data.customer, version));
    // The merged customers' own events stop here; their versions are not told, so the survivor's stands in.
    for (const mergedId of mergedIds) await this.directory.retire(manager, tenantId, mergedId, 'merged', 0, customerId);
    await this.references.repoint(manager, tenantId, mergeId, customerId, mergedIds);
  }

  @OnEvent(CustomerMergeUndoneEvent)
  async onMergeUndone(event: ReceivedEvent<CustomerMergeUndone>, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.directory.upsert(manager, toDirectoryCustomer(tenantId, customerId, event.data.customer, version));
    for (const restored of event.data.restored) {
      if (!isUuid(restored.customerId)) throw new PoisonMessageError(`undo of merge ${event.data.mergeId}: a restored customer has no valid id`);
      await this.directory.upsert(manager, toDirectoryCustomer(tenantId, restored.customerId.toLowerCase(), restored.customer, Number(restored.version)));
    }
    await this.references.restore(manager, tenantId, event.data.mergeId, customerId);
  }

  private async upsert(event: ReceivedEvent<AnyCustomerEvent>, customer: Customer | undefined, manager: EntityManager): Promise<void> {
    const { tenantId, customerId, version } = await openCustomerEvent(event, manager);
    await this.directory.upsert(manager, toDirectoryCustomer(tenantId, customerId, customer, version));
  }
}

function toDirectoryCustomer(tenantId: string, id: string, customer: Customer | undefined, version: number): DirectoryCustomer {
  if (!customer) throw new PoisonMessageError(`customer ${id} arrives without its record`);
  const ownerId = ownerIdOf(id, customer.ownerId);
  return {
    id,
    tenantId,
    type: customer.type || 'person',
    name: customer.name,
    ownerId,
    region: customer.region || null,
    industry: customer.industry || null,
    phones: customer.phones,
    emails: customer.emails,
    version,
  };
}
