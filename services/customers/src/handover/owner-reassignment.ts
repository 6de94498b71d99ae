import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerEvents, type CustomerChange } from '../customers/customer-events';
import type { CustomerEntity } from '../customers/customer.entity';
import { HandoverRepository, type HandedOverSet, type OwnerAssignment } from './handover.repository';

/** Customers re-assigned per statement (and per outbox insert): bounded memory and statement size for owners of 10k+. */
export const REASSIGN_BATCH_SIZE = 1_000;

/** A completed handover of a user's work (sales.handover.v1), checked. */
export interface Handover {
  tenantId: string;
  fromUserId: string;
  /** Owner of everything not in `assignments`; null: the shared pool. */
  toUserId: string | null;
  /** Customer id → its new owner (null: the pool). */
  assignments: ReadonlyMap<string, string | null>;
  handedOverBy: string | null;
}

/**
 * Re-assigns the customers of a user who leaves, in the caller's transaction (the consumer's, with its
 * inbox row): each batch of customers is locked, updated in one statement and announced with one
 * CustomerOwnerChanged per customer. A customer without an owner goes to the shared pool and remembers
 * whose it was, so a handover of that user's work later takes it out of the pool too.
 */
@Injectable()
export class OwnerReassignment {
  constructor(
    private readonly customers: HandoverRepository,
    private readonly events: CustomerEvents,
  ) {}

  /**
   * Every live customer the user owns, and every one their deactivation left in the pool, goes to its
   * assigned owner, else to `toUserId`, else to the pool. A new owner the read model knows as
   * deactivated cannot own customers: those go to the pool. Customers the handover names but the user
   * no longer owns are left alone. Returns how many customers changed owner.
   */
  async handOver(manager: EntityManager, handover: Handover): Promise<number> {
    const { tenantId, fromUserId, toUserId, assignments } = handover;
    const targets = [toUserId, ...assignments.values()].filter((id): id is string => id !== null);
    const inactive = await this.customers.inactiveUsers(manager, tenantId, [...new Set(targets)]);
    const ownerOf = (customer: CustomerEntity) => {
      // An assignment to nobody (null) is a choice too: only customers without one follow toUserId.
      const target = assignments.get(customer.id) ?? (assignments.has(customer.id) ? null : toUserId);
      return target !== null && !inactive.has(target) ? target : null;
    };
    let changed = 0;
    for (const set of ['owned', 'pooled'] as const) changed += await this.reassign(manager, tenantId, fromUserId, set, ownerOf, handover.handedOverBy);
    return changed;
  }

  /**
   * The customers of a user the read model knows as deactivated go to the shared pool. Nothing happens
   * for a user who is active (again): a deactivation that arrives after a reactivation is stale.
   */
  async poolCustomersOf(manager: EntityManager, tenantId: string, userId: string): Promise<number> {
    if (!(await this.customers.isInactive(manager, tenantId, userId))) return 0;
    return this.reassign(manager, tenantId, userId, 'owned', () => null, null);
  }

  private async reassign(
    manager: EntityManager,
    tenantId: string,
    fromUserId: string,
    set: HandedOverSet,
    ownerOf: (customer: CustomerEntity) => string | null,
    changedBy: string | null,
  ): Promise<number> {
    let changed = 0;
    for (let after: { at: Date; id: string } | null = null; ; ) {
      const batch = await this.customers.nextBatch(manager, tenantId, fromUserId, set, after, REASSIGN_BATCH_SIZE);
      if (batch.length === 0) return changed;
      const last = batch[batch.length - 1];
      after = { at: last.createdAt, id: last.id };
      const now = new Date();
      const assignments: OwnerAssignment[] = [];
      const changes: CustomerChange[] = [];
      for (const customer of batch) {
        const to = ownerOf(customer);
        if (to === customer.ownerId) continue;
        const from = customer.ownerId;
        customer.ownerId = to;
        customer.pooledFromUserId = to === null ? fromUserId : null;
        customer.version += 1;
        customer.updatedAt = now;
        assignments.push({ id: customer.id, ownerId: to, pooledFromUserId: customer.pooledFromUserId });
        changes.push({ kind: 'changed', customer, fields: [], owner: { from, to }, changedBy });
      }
      await this.customers.assign(manager, tenantId, assignments, now);
      await this.events.publish(manager, changes);
      changed += assignments.length;
      if (batch.length < REASSIGN_BATCH_SIZE) return changed;
    }
  }
}
