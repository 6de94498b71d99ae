import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerEntity } from '../customers/customer.entity';

/** Whose customers a pass goes through: those a user owns, or those their deactivation left in the pool. */
export type HandedOverSet = 'owned' | 'pooled';

export interface OwnerAssignment {
  id: string;
  ownerId: string | null;
  pooledFromUserId: string | null;
}

/** Customer rows a handover or a deactivation re-assigns, a batch at a time. */
@Injectable()
export class HandoverRepository {
  /**
   * The next `size` live customers of the set after `after`, locked; newest first, which is the order
   * of the (tenant, owner, created_at, id) index and of its pool counterpart.
   */
  nextBatch(manager: EntityManager, tenantId: string, userId: string, set: HandedOverSet, after: { at: Date; id: string } | null, size: number): Promise<CustomerEntity[]> {
    const qb = manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.deletedAt IS NULL')
      .andWhere(set === 'owned' ? 'c.ownerId = :userId' : 'c.ownerId IS NULL AND c.pooledFromUserId = :userId', { userId });
    if (after) qb.andWhere('(c.createdAt, c.id) < (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
    return qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC').limit(size).setLock('pessimistic_write').getMany();
  }

  /**
   * New owners (and pool origins) of a batch in one statement; each customer gets its next version. The
   * ids are given once more as an array: joined only to the record set, whose size the planner cannot
   * know, the update scanned the whole table for every batch.
   */
  async assign(manager: EntityManager, tenantId: string, assignments: readonly OwnerAssignment[], at: Date): Promise<void> {
    if (assignments.length === 0) return;
    await manager.query(
      `UPDATE customers c SET owner_id = a."ownerId", pooled_from_user_id = a."pooledFromUserId", version = c.version + 1, updated_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS a(id uuid, "ownerId" uuid, "pooledFromUserId" uuid)
        WHERE c.tenant_id = $1 AND c.id = ANY($4::uuid[]) AND c.id = a.id`,
      [tenantId, JSON.stringify(assignments), at, assignments.map((assignment) => assignment.id)],
    );
  }

  /** Which of these users the read model knows as deactivated. */
  async inactiveUsers(manager: EntityManager, tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND NOT active`, [tenantId, [...userIds]]);
    return new Set(rows.map((row) => row.id));
  }

  /** Whether the read model knows the user as deactivated (a late, older deactivation of a reactivated user is not). */
  async isInactive(manager: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    return (await this.inactiveUsers(manager, tenantId, [userId])).has(userId);
  }
}
