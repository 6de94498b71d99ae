import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';
import type { Period } from './quota-period';

export interface Quota {
  id: string;
  subjectKind: 'user' | 'team';
  subjectId: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  amountMicros: string;
  currency: string;
  version: number;
  updatedAt: Date;
}

export interface QuotaToSet {
  subjectKind: 'user' | 'team';
  subjectId: string;
  period: Period;
  amountMicros: bigint;
  currency: string;
}

interface QuotaRow {
  id: string;
  subject_kind: 'user' | 'team';
  subject_id: string;
  period: string;
  period_start: string;
  period_end: string;
  amount_micros: string;
  currency: string;
  version: number;
  updated_at: Date;
}

const COLUMNS = `id, subject_kind, subject_id, period, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, amount_micros::text AS amount_micros, currency, version, updated_at`;

@Injectable()
export class QuotasRepository {
  /** Creates or replaces each quota (one per subject and period), in one statement; returns them in input order. */
  async upsert(manager: EntityManager, quotas: readonly QuotaToSet[], updatedBy: string | null): Promise<Quota[]> {
    const tenantId = requireTenantId();
    const rows: QuotaRow[] = await manager.query(
      `INSERT INTO quotas (id, tenant_id, subject_kind, subject_id, period, period_start, period_end, amount_micros, currency, updated_by, updated_at)
       SELECT gen_random_uuid(), $1, q.subject_kind, q.subject_id, q.period, q.period_start, q.period_end, q.amount_micros, q.currency, $2, now()
         FROM jsonb_to_recordset($3::jsonb) AS q(subject_kind text, subject_id uuid, period text, period_start date, period_end date, amount_micros bigint, currency text)
       ON CONFLICT (tenant_id, subject_kind, subject_id, period) DO UPDATE
         SET amount_micros = EXCLUDED.amount_micros, currency = EXCLUDED.currency, updated_by = EXCLUDED.updated_by, updated_at = now(),
             version = quotas.version + CASE WHEN (quotas.amount_micros, quotas.currency) IS DISTINCT FROM (EXCLUDED.amount_micros, EXCLUDED.currency) THEN 1 ELSE 0 END
       RETURNING ${COLUMNS}`,
      [
        tenantId,
        updatedBy,
        JSON.stringify(
          quotas.map((quota) => ({
            subject_kind: quota.subjectKind,
            subject_id: quota.subjectId,
            period: quota.period.key,
            period_start: quota.period.start,
            period_end: quota.period.end,
            amount_micros: quota.amountMicros.toString(),
            currency: quota.currency,
          })),
        ),
      ],
    );
    const byKey = new Map(rows.map((row) => [`${row.subject_kind}:${row.subject_id}:${row.period}`, toQuota(row)]));
    return quotas.flatMap((quota) => byKey.get(`${quota.subjectKind}:${quota.subjectId}:${quota.period.key}`) ?? []);
  }

  /** By period start, then id (the tenant's quotas, filtered; quotas_period_idx serves the period filter). */
  async page(
    manager: EntityManager,
    filter: { period?: string; subjectKind?: 'user' | 'team'; subjectId?: string },
    paging: { limit: number; cursor?: string; total?: boolean },
  ): Promise<Page<Quota>> {
    const params: unknown[] = [requireTenantId()];
    const conditions = ['tenant_id = $1'];
    if (filter.period) conditions.push(`period = $${params.push(filter.period)}`);
    if (filter.subjectKind) conditions.push(`subject_kind = $${params.push(filter.subjectKind)}`);
    if (filter.subjectId) conditions.push(`subject_id = $${params.push(filter.subjectId)}`);
    const filtered = conditions.join(' AND ');
    const pageConditions = [...conditions];
    const pageParams = [...params];
    if (paging.cursor) {
      const after = decodeCursor(paging.cursor);
      pageConditions.push(`(period_start, id) > ($${pageParams.push(after.at.toISOString().slice(0, 10))}::date, $${pageParams.push(after.id)}::uuid)`);
    }
    const rows: QuotaRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM quotas WHERE ${pageConditions.join(' AND ')} ORDER BY period_start, id LIMIT $${pageParams.push(paging.limit + 1)}`,
      pageParams,
    );
    const items = rows.slice(0, paging.limit).map(toQuota);
    const last = items[items.length - 1];
    const nextCursor = rows.length > paging.limit && last ? encodeCursor({ at: new Date(`${last.periodStart}T00:00:00Z`), id: last.id }) : null;
    if (!paging.total) return { items, nextCursor };
    const [{ count }]: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM quotas WHERE ${filtered}`, params);
    return { items, nextCursor, total: Number(count) };
  }
}

function toQuota(row: QuotaRow): Quota {
  return {
    id: row.id,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    period: row.period,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    amountMicros: row.amount_micros,
    currency: row.currency,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

