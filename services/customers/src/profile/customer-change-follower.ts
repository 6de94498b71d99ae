import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CustomerChange } from '../customers/customer-events';
import type { CustomerEntity } from '../customers/customer.entity';
import { TimelineRepository, type NewTimelineEntry } from '../timeline/timeline.repository';
import { ProfileRepository } from './profile.repository';

/** Fields whose new value an `customer.updated` entry shows: none of them is personal. */
const SHOWN_FIELDS = ['lifecycleStage', 'valueTier', 'keyAccount', 'industry', 'region', 'source', 'type'] as const;

/**
 * Keeps the timeline and the profile in step with the customer's own changes, called by CustomerEvents
 * in the transaction of every change it publishes, so they can never disagree with the events:
 *
 * - one timeline entry per event (created, updated, owner changed, tagged, deleted, merged, ...);
 * - a lifecycle stage set by a person pins the sweep's clock (see lifecycle/);
 * - a merge or its undo moves the facts and entries of the customers involved and recomputes their summaries.
 */
@Injectable()
export class CustomerChangeFollower {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly profiles: ProfileRepository,
  ) {}

  async follow(manager: EntityManager, changes: readonly CustomerChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.timeline.add(manager, changes.flatMap(entriesOf));
    for (const [tenantId, customers] of groupByTenant(changes.filter(isManualStageChange).map((change) => change.customer))) {
      const at = new Date(Math.max(...customers.map((customer) => customer.updatedAt.getTime())));
      await this.profiles.pinStage(manager, tenantId, customers.map((customer) => customer.id), at);
    }
    for (const change of changes) {
      if (change.kind === 'merged') await this.profiles.followMerges(manager, change.customer.tenantId, [change.customer.id, ...change.mergedIds]);
      if (change.kind === 'mergeUndone') await this.profiles.followMerges(manager, change.customer.tenantId, [change.customer.id, ...change.restored.map((customer) => customer.id)]);
    }
  }
}

function isManualStageChange(change: CustomerChange): change is Extract<CustomerChange, { kind: 'changed' }> {
  return change.kind === 'changed' && change.changedBy !== null && change.fields.includes('lifecycleStage');
}

function groupByTenant(customers: readonly CustomerEntity[]): Map<string, CustomerEntity[]> {
  const groups = new Map<string, CustomerEntity[]>();
  for (const customer of customers) groups.set(customer.tenantId, [...(groups.get(customer.tenantId) ?? []), customer]);
  return groups;
}

function entriesOf(change: CustomerChange): NewTimelineEntry[] {
  const { customer } = change;
  const entry = (type: NewTimelineEntry['type'], title: string, details: Partial<NewTimelineEntry> = {}, about: CustomerEntity = customer): NewTimelineEntry => ({
    id: randomUUID(),
    tenantId: about.tenantId,
    customerId: about.id,
    eventCustomerId: about.id,
    occurredAt: about.updatedAt,
    type,
    title,
    summary: null,
    referenceId: null,
    actorId: null,
    payload: {},
    ...details,
  });
  switch (change.kind) {
    case 'created':
      return [
        entry('customer.created', 'Customer created', {
          occurredAt: customer.createdAt,
          actorId: customer.createdBy,
          payload: { source: customer.source, ownerId: customer.ownerId, lifecycleStage: customer.lifecycleStage },
        }),
      ];
    case 'changed': {
      const entries: NewTimelineEntry[] = [];
      const actorId = change.changedBy;
      if (change.fields.length > 0) {
        const shown = Object.fromEntries(SHOWN_FIELDS.filter((field) => change.fields.includes(field)).map((field) => [field, customer[field]]));
        entries.push(entry('customer.updated', updatedTitle(change.fields, customer), { actorId, payload: { changedFields: [...change.fields], ...shown } }));
      }
      if (change.owner) entries.push(entry('customer.owner_changed', 'Owner changed', { actorId, payload: { previousOwnerId: change.owner.from, ownerId: change.owner.to } }));
      if (change.tags) {
        const { added, removed } = change.tags;
        const title = `Tags: ${[...added.map((tag) => `+${tag}`), ...removed.map((tag) => `−${tag}`)].join(' ')}`;
        entries.push(entry('customer.tagged', title, { actorId, payload: { added: [...added], removed: [...removed] } }));
      }
      return entries;
    }
    case 'deleted':
      return [entry('customer.deleted', 'Customer deleted', { occurredAt: customer.deletedAt ?? customer.updatedAt })];
    case 'erased':
      return [entry('customer.erased', 'Personal data erased on a privacy request', { referenceId: change.requestId, payload: { requestId: change.requestId } })];
    case 'merged':
      return [
        entry('customer.merged', `${change.mergedIds.length} duplicate${change.mergedIds.length === 1 ? '' : 's'} merged into this customer`, {
          referenceId: change.mergeId,
          actorId: change.mergedBy,
          payload: { mergeId: change.mergeId, mergedCustomerIds: [...change.mergedIds] },
        }),
      ];
    case 'mergeUndone': {
      const details = { referenceId: change.mergeId, actorId: change.undoneBy };
      const restoredIds = change.restored.map((restored) => restored.id);
      return [
        entry('customer.merge_undone', `Merge undone: ${restoredIds.length} customer${restoredIds.length === 1 ? '' : 's'} restored`, {
          ...details,
          payload: { mergeId: change.mergeId, restoredCustomerIds: restoredIds },
        }),
        ...change.restored.map((restored) => entry('customer.merge_undone', 'Restored by undoing a merge', { ...details, payload: { mergeId: change.mergeId, survivorId: customer.id } }, restored)),
      ];
    }
  }
}

function updatedTitle(fields: readonly string[], customer: CustomerEntity): string {
  if (fields.length === 1 && fields[0] === 'lifecycleStage') return `Lifecycle stage: ${customer.lifecycleStage}`;
  if (fields.length === 1 && fields[0] === 'valueTier') return `Value tier: ${customer.valueTier ?? 'none'}`;
  return `Updated ${fields.join(', ')}`;
}
