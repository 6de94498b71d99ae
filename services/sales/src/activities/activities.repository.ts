import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { Page } from '@crm/platform/api';
import { param, rawPage, scopeCondition } from './work-sql';

/** A row of `activities` as PostgreSQL returns it. */
export interface ActivityRow {
  id: string;
  tenant_id: string;
  kind: string;
  subject: string;
  notes: string | null;
  direction: string | null;
  outcome: string | null;
  duration_seconds: number | null;
  status: string;
  due_at: Date | null;
  occurred_at: Date | null;
  completed_at: Date | null;
  owner_id: string;
  lead_id: string | null;
  opportunity_id: string | null;
  customer_id: string | null;
  contract_id: string | null;
  order_id: string | null;
  origin: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface ActivityFilter {
  kind?: string;
  status?: string;
  ownerId?: string;
  leadId?: string;
  opportunityId?: string;
  customerId?: string;
  dueBefore?: Date;
}

const COLUMNS =
  'a.id, a.tenant_id, a.kind, a.subject, a.notes, a.direction, a.outcome, a.duration_seconds, a.status, a.due_at, a.occurred_at, a.completed_at, a.owner_id, a.lead_id, a.opportunity_id, a.customer_id, a.contract_id, a.order_id, a.origin, a.created_by, a.created_at, a.updated_at, a.version';

/** Fields a write sets, by column. */
export type ActivityValues = Omit<ActivityRow, 'tenant_id' | 'created_at' | 'updated_at' | 'version'>;

@Injectable()
export class ActivitiesRepository {
  /** The activity if the scope lets the caller see it, optionally locked for update. */
  async findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<ActivityRow | null> {
    const params: unknown[] = [requireTenantId(), id];
    const rows: ActivityRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM activities a WHERE a.tenant_id = $1 AND a.id = $2 AND ${scopeCondition(scope, 'a.owner_id', params)}${options.lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** Newest first; every equality filter has a (tenant, x, created_at) index, dueBefore the open-task index. */
  page(manager: EntityManager, filter: ActivityFilter, scope: OwnershipScope, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<ActivityRow>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['a.tenant_id = $1', scopeCondition(scope, 'a.owner_id', params)];
    if (filter.kind) where.push(`a.kind = ${param(params, filter.kind)}`);
    if (filter.status) where.push(`a.status = ${param(params, filter.status)}`);
    if (filter.ownerId) where.push(`a.owner_id = ${param(params, filter.ownerId)}`);
    if (filter.leadId) where.push(`a.lead_id = ${param(params, filter.leadId)}`);
    if (filter.opportunityId) where.push(`a.opportunity_id = ${param(params, filter.opportunityId)}`);
    if (filter.customerId) where.push(`a.customer_id = ${param(params, filter.customerId)}`);
    if (filter.dueBefore) where.push(`a.kind = 'task' AND a.due_at < ${param(params, filter.dueBefore)}`);
    return rawPage<ActivityRow>(
      manager,
      { select: `SELECT ${COLUMNS} FROM activities a`, where, params, timeColumn: 'a.created_at', idColumn: 'a.id', ...paging },
      (row) => ({ at: row.created_at, id: row.id }),
    );
  }

  async insert(manager: EntityManager, values: ActivityValues): Promise<ActivityRow> {
    const rows: ActivityRow[] = await manager.query(
      `INSERT INTO activities (id, tenant_id, kind, subject, notes, direction, outcome, duration_seconds, status, due_at, occurred_at, completed_at, owner_id,
                               lead_id, opportunity_id, customer_id, contract_id, order_id, origin, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       RETURNING ${COLUMNS.replace(/a\./g, '')}`,
      [
        values.id,
        requireTenantId(),
        values.kind,
        values.subject,
        values.notes,
        values.direction,
        values.outcome,
        values.duration_seconds,
        values.status,
        values.due_at,
        values.occurred_at,
        values.completed_at,
        values.owner_id,
        values.lead_id,
        values.opportunity_id,
        values.customer_id,
        values.contract_id,
        values.order_id,
        values.origin,
        values.created_by,
      ],
    );
    return rows[0];
  }

  /** Writes the changed fields, bumps the version; returns the new row. */
  async update(manager: EntityManager, row: ActivityRow): Promise<ActivityRow> {
    const rows = await modifyingQuery<ActivityRow>(
      manager,
      `UPDATE activities SET subject = $3, notes = $4, direction = $5, outcome = $6, duration_seconds = $7, status = $8, due_at = $9, occurred_at = $10,
              completed_at = $11, owner_id = $12, lead_id = $13, opportunity_id = $14, customer_id = $15, contract_id = $16, order_id = $17,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2
        RETURNING ${COLUMNS.replace(/a\./g, '')}`,
      [
        requireTenantId(),
        row.id,
        row.subject,
        row.notes,
        row.direction,
        row.outcome,
        row.duration_seconds,
        row.status,
        row.due_at,
        row.occurred_at,
        row.completed_at,
        row.owner_id,
        row.lead_id,
        row.opportunity_id,
        row.customer_id,
        row.contract_id,
        row.order_id,
      ],
    );
    return rows[0];
  }
}
