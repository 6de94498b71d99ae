import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { requireTenantId } from '@crm/platform/database';
import type { Page } from '@crm/platform/api';
import { param, rawPage, scopeCondition } from '../activities/work-sql';

export interface HandoverRule {
  match: { region?: string; industry?: string; customerIds?: string[] };
  toUserId: string;
}

export interface HandoverRow {
  id: string;
  tenant_id: string;
  from_user_id: string;
  to_user_id: string | null;
  rules: HandoverRule[];
  moved: Record<string, number>;
  /** Customers the user owned (the customers service re-assigns them) and how many of them rules assigned. */
  customers_owned: number;
  customer_assignments: number;
  handed_over_by: string | null;
  created_at: Date;
}

const COLUMNS = 'h.id, h.tenant_id, h.from_user_id, h.to_user_id, h.rules, h.moved, h.customers_owned, h.customer_assignments, h.handed_over_by, h.created_at';

/** The record of every handover, with the per-kind counts of what moved. */
@Injectable()
export class HandoversRepository {
  async insert(manager: EntityManager, row: Omit<HandoverRow, 'tenant_id'>): Promise<void> {
    await manager.query(
      `INSERT INTO handovers (id, tenant_id, from_user_id, to_user_id, rules, moved, customers_owned, customer_assignments, handed_over_by, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10)`,
      [
        row.id,
        requireTenantId(),
        row.from_user_id,
        row.to_user_id,
        JSON.stringify(row.rules),
        JSON.stringify(row.moved),
        row.customers_owned,
        row.customer_assignments,
        row.handed_over_by,
        row.created_at,
      ],
    );
  }

  async findInScope(manager: EntityManager, id: string, scope: OwnershipScope): Promise<HandoverRow | null> {
    const params: unknown[] = [requireTenantId(), id];
    const rows: HandoverRow[] = await manager.query(`SELECT ${COLUMNS} FROM handovers h WHERE h.tenant_id = $1 AND h.id = $2 AND ${scopeCondition(scope, 'h.from_user_id', params)}`, params);
    return rows[0] ?? null;
  }

  page(manager: EntityManager, fromUserId: string | undefined, scope: OwnershipScope, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<HandoverRow>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['h.tenant_id = $1', scopeCondition(scope, 'h.from_user_id', params)];
    if (fromUserId) where.push(`h.from_user_id = ${param(params, fromUserId)}`);
    return rawPage<HandoverRow>(manager, { select: `SELECT ${COLUMNS} FROM handovers h`, where, params, timeColumn: 'h.created_at', idColumn: 'h.id', ...paging }, (row) => ({
      at: row.created_at,
      id: row.id,
    }));
  }
}
