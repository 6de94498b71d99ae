import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { CustomerEntity } from '../customers/customer.entity';
import type { LifecycleStage } from '../customers/customer-fields';

export interface SweepCutoffs {
  dormantBefore: Date;
  churnedBefore: Date;
}

/**
 * The sweep's clock of a customer: its last order or the stage a person set by hand, whichever is
 * later; its creation when it has neither (a customer entered as active without any order).
 */
const CLOCK = 'COALESCE(GREATEST(p.last_order_at, p.stage_pinned_at), c.created_at)';
/** Due: new or active past the dormant cutoff, or anything but prospect and churned past the churned one. */
const DUE = `c.tenant_id = $1 AND c.deleted_at IS NULL
  AND ((c.lifecycle_stage IN ('new', 'active') AND ${CLOCK} < $2) OR (c.lifecycle_stage = 'dormant' AND ${CLOCK} < $3))`;
const FROM = 'customers c LEFT JOIN customer_profiles p ON p.customer_id = c.id AND p.tenant_id = c.tenant_id';

@Injectable()
export class LifecycleRepository {
  /**
   * Tenants that have customers, by a loose scan of the (tenant_id, ...) index: one index probe per
   * tenant however many customers each has. Cross-tenant by nature: run it as the system.
   */
  async tenants(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ tenant_id: string }> = await manager.query(`
      WITH RECURSIVE tenants AS (
        (SELECT tenant_id FROM customers WHERE deleted_at IS NULL ORDER BY tenant_id LIMIT 1)
        UNION ALL
        SELECT (SELECT c.tenant_id FROM customers c WHERE c.deleted_at IS NULL AND c.tenant_id > t.tenant_id ORDER BY c.tenant_id LIMIT 1)
          FROM tenants t WHERE t.tenant_id IS NOT NULL
      )
      SELECT tenant_id FROM tenants WHERE tenant_id IS NOT NULL`);
    return rows.map((row) => row.tenant_id);
  }

  /** Up to `limit` customers of the tenant due to move (the stage index, then each summary by key). */
  async dueIds(manager: EntityManager, tenantId: string, cutoffs: SweepCutoffs, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT c.id FROM ${FROM} WHERE ${DUE} LIMIT $4`, [tenantId, cutoffs.dormantBefore, cutoffs.churnedBefore, limit]);
    return rows.map((row) => row.id);
  }

  /**
   * Which of these customers are still due, locked, with the stage they move to. Customers someone is
   * editing are skipped (SKIP LOCKED), not waited for: the next sweep takes them, and two sweepers
   * never move the same customer twice.
   */
  async lockDue(manager: EntityManager, tenantId: string, ids: readonly string[], cutoffs: SweepCutoffs): Promise<Map<string, LifecycleStage>> {
    const rows: Array<{ id: string; stage: LifecycleStage }> = await manager.query(
      `SELECT c.id, CASE WHEN ${CLOCK} < $3 THEN 'churned' ELSE 'dormant' END AS stage
         FROM ${FROM} WHERE ${DUE} AND c.id = ANY($4::uuid[])
        ORDER BY c.id FOR UPDATE OF c SKIP LOCKED`,
      [tenantId, cutoffs.dormantBefore, cutoffs.churnedBefore, [...ids]],
    );
    return new Map(rows.map((row) => [row.id, row.stage]));
  }

  /** The customers (already locked by `lockDue`). */
  load(manager: EntityManager, tenantId: string, ids: readonly string[]): Promise<CustomerEntity[]> {
    return manager.getRepository(CustomerEntity).find({ where: { tenantId, id: In([...ids]) } });
  }

  /** Stage, version and time of these customers in one statement. */
  async saveStages(manager: EntityManager, tenantId: string, customers: readonly CustomerEntity[]): Promise<void> {
    if (customers.length === 0) return;
    const rows = customers.map((customer) => ({ id: customer.id, stage: customer.lifecycleStage, version: customer.version, updated_at: customer.updatedAt.toISOString() }));
    await manager.query(
      `UPDATE customers c SET lifecycle_stage = r.stage, version = r.version, updated_at = r.updated_at
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, stage text, version integer, updated_at timestamptz)
        WHERE c.tenant_id = $1 AND c.id = r.id`,
      [tenantId, JSON.stringify(rows)],
    );
  }
}
