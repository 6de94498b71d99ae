import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { Page } from '@crm/platform/api';
import { param, rawPage, scopeCondition } from '../activities/work-sql';
import { itemDoneSql } from './plan-period';

export interface PlanRow {
  id: string;
  tenant_id: string;
  owner_id: string;
  period_type: string;
  /** YYYY-MM-DD */
  period_start: string;
  /** YYYY-MM-DD, exclusive */
  period_end: string;
  notes: string | null;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PlanItemRow {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  kind: string;
  target_count: number;
  /** The stored count, or the counted activities for an item that counts them (see itemDoneSql). */
  done_count: number;
  count_activities: boolean;
  lead_id: string | null;
  opportunity_id: string | null;
  customer_id: string | null;
}

export interface PlanFilter {
  ownerId?: string;
  teamId?: string;
  periodType?: string;
  from?: string;
  to?: string;
}

const COLUMNS = `p.id, p.tenant_id, p.owner_id, p.period_type, p.period_start::text AS period_start, p.period_end::text AS period_end, p.notes, p.version, p.created_by, p.created_at, p.updated_at`;
const ITEM_COLUMNS = `i.id, i.plan_id, i.position, i.title, i.kind, i.target_count, ${itemDoneSql('i', 'p')} AS done_count, i.count_activities, i.lead_id, i.opportunity_id, i.customer_id`;

/** Rep plans and their items. */
@Injectable()
export class PlansRepository {
  async findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<PlanRow | null> {
    const params: unknown[] = [requireTenantId(), id];
    const rows: PlanRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM rep_plans p WHERE p.tenant_id = $1 AND p.id = $2 AND ${scopeCondition(scope, 'p.owner_id', params)}${options.lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  page(manager: EntityManager, filter: PlanFilter, scope: OwnershipScope, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<PlanRow>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['p.tenant_id = $1', scopeCondition(scope, 'p.owner_id', params)];
    if (filter.ownerId) where.push(`p.owner_id = ${param(params, filter.ownerId)}`);
    if (filter.teamId) where.push(`p.owner_id IN (SELECT tm.user_id FROM user_team_members tm WHERE tm.team_id = ${param(params, filter.teamId)})`);
    if (filter.periodType) where.push(`p.period_type = ${param(params, filter.periodType)}`);
    if (filter.from) where.push(`p.period_start >= ${param(params, filter.from)}::date`);
    if (filter.to) where.push(`p.period_start < ${param(params, filter.to)}::date`);
    return rawPage<PlanRow>(manager, { select: `SELECT ${COLUMNS} FROM rep_plans p`, where, params, timeColumn: 'p.created_at', idColumn: 'p.id', ...paging }, (row) => ({
      at: row.created_at,
      id: row.id,
    }));
  }

  /** Items of the plans, by plan id, in position order. */
  async itemsOf(manager: EntityManager, planIds: readonly string[]): Promise<Map<string, PlanItemRow[]>> {
    const byPlan = new Map<string, PlanItemRow[]>(planIds.map((id) => [id, []]));
    if (planIds.length === 0) return byPlan;
    const rows: PlanItemRow[] = await manager.query(`SELECT ${ITEM_COLUMNS} FROM rep_plan_items i JOIN rep_plans p ON p.id = i.plan_id WHERE i.tenant_id = $1 AND i.plan_id = ANY($2::uuid[]) ORDER BY i.plan_id, i.position`, [
      requireTenantId(),
      [...planIds],
    ]);
    for (const row of rows) byPlan.get(row.plan_id)?.push(row);
    return byPlan;
  }

  async insert(manager: EntityManager, plan: Omit<PlanRow, 'tenant_id' | 'version' | 'created_at' | 'updated_at'>): Promise<void> {
    await manager.query(
      `INSERT INTO rep_plans (id, tenant_id, owner_id, period_type, period_start, period_end, notes, created_by) VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8)`,
      [plan.id, requireTenantId(), plan.owner_id, plan.period_type, plan.period_start, plan.period_end, plan.notes, plan.created_by],
    );
  }

  /** Replaces the plan's items with `items` (ids kept), in the given order. */
  async replaceItems(manager: EntityManager, planId: string, items: readonly Omit<PlanItemRow, 'plan_id' | 'position'>[]): Promise<void> {
    const tenantId = requireTenantId();
    await manager.query(`DELETE FROM rep_plan_items WHERE tenant_id = $1 AND plan_id = $2`, [tenantId, planId]);
    if (items.length === 0) return;
    await manager.query(
      `INSERT INTO rep_plan_items (id, tenant_id, plan_id, position, title, kind, target_count, done_count, count_activities, lead_id, opportunity_id, customer_id)
       SELECT u.id, $1, $2, u.position, u.title, u.kind, u.target_count, u.done_count, u.count_activities, u.lead_id, u.opportunity_id, u.customer_id
         FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::int[], $8::int[], $9::boolean[], $10::uuid[], $11::uuid[], $12::uuid[])
           AS u (id, position, title, kind, target_count, done_count, count_activities, lead_id, opportunity_id, customer_id)`,
      [
        tenantId,
        planId,
        items.map((item) => item.id),
        items.map((_item, index) => index),
        items.map((item) => item.title),
        items.map((item) => item.kind),
        items.map((item) => item.target_count),
        items.map((item) => (item.count_activities ? 0 : item.done_count)),
        items.map((item) => item.count_activities),
        items.map((item) => item.lead_id),
        items.map((item) => item.opportunity_id),
        items.map((item) => item.customer_id),
      ],
    );
  }

  async setDoneCount(manager: EntityManager, planId: string, itemId: string, doneCount: number): Promise<void> {
    await manager.query(`UPDATE rep_plan_items SET done_count = $4 WHERE tenant_id = $1 AND plan_id = $2 AND id = $3`, [requireTenantId(), planId, itemId, doneCount]);
  }

  /** Bumps the plan's version (any change to it or its items) and sets its notes. */
  async touch(manager: EntityManager, planId: string, notes: string | null): Promise<void> {
    const updated = await modifyingQuery(manager, `UPDATE rep_plans SET notes = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING id`, [
      requireTenantId(),
      planId,
      notes,
    ]);
    if (updated.length !== 1) throw new Error(`plan ${planId} vanished while being updated`);
  }
}
