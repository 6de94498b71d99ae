import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { Page } from '@crm/platform/api';
import { param, rawPage } from '../activities/work-sql';
import { convertedSql, rateJoinSql, ratesCteSql, unconvertedSql } from '../exchange-rates/currency-converter';
import type { PartnerPeriod } from './partner-period';

export interface PartnerRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  region: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  status: string;
  commission_rate_bp: number | null;
  notes: string | null;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface QuotaRow {
  partner_id: string;
  period: string;
  period_start: string;
  period_end: string;
  amount_micros: string;
  currency: string;
}

/** One row of the partner analysis, before mapping. */
export interface AnalysisRow {
  key: string | null;
  label: string | null;
  orders: number;
  revenue_micros: string;
  unconverted: Array<{ currency: string; amountMicros: string }>;
  quantity: string | null;
}

export type PartnerGrouping = 'partner' | 'region' | 'product';

const COLUMNS = 'p.id, p.tenant_id, p.name, p.kind, p.region, p.contact_name, p.contact_phone, p.contact_email, p.status, p.commission_rate_bp, p.notes, p.version, p.created_by, p.created_at, p.updated_at';

/** Partners, their quotas, and the set-based partner analysis over orders and referral leads. */
@Injectable()
export class PartnersRepository {
  async find(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<PartnerRow | null> {
    const rows: PartnerRow[] = await manager.query(`SELECT ${COLUMNS} FROM partners p WHERE p.tenant_id = $1 AND p.id = $2${options.lock ? ' FOR UPDATE' : ''}`, [requireTenantId(), id]);
    return rows[0] ?? null;
  }

  page(manager: EntityManager, filter: { kind?: string; status?: string; region?: string }, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<PartnerRow>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['p.tenant_id = $1'];
    if (filter.kind) where.push(`p.kind = ${param(params, filter.kind)}`);
    if (filter.status) where.push(`p.status = ${param(params, filter.status)}`);
    if (filter.region) where.push(`p.region = ${param(params, filter.region)}`);
    return rawPage<PartnerRow>(manager, { select: `SELECT ${COLUMNS} FROM partners p`, where, params, timeColumn: 'p.created_at', idColumn: 'p.id', ...paging }, (row) => ({
      at: row.created_at,
      id: row.id,
    }));
  }

  async insert(manager: EntityManager, row: Omit<PartnerRow, 'tenant_id' | 'version' | 'created_at' | 'updated_at'>): Promise<void> {
    await manager.query(
      `INSERT INTO partners (id, tenant_id, name, kind, region, contact_name, contact_phone, contact_email, status, commission_rate_bp, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [row.id, requireTenantId(), row.name, row.kind, row.region, row.contact_name, row.contact_phone, row.contact_email, row.status, row.commission_rate_bp, row.notes, row.created_by],
    );
  }

  async update(manager: EntityManager, row: PartnerRow): Promise<void> {
    const updated = await modifyingQuery(
      manager,
      `UPDATE partners SET name = $3, kind = $4, region = $5, contact_name = $6, contact_phone = $7, contact_email = $8, status = $9, commission_rate_bp = $10, notes = $11,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [requireTenantId(), row.id, row.name, row.kind, row.region, row.contact_name, row.contact_phone, row.contact_email, row.status, row.commission_rate_bp, row.notes],
    );
    if (updated.length !== 1) throw new Error(`partner ${row.id} vanished while being updated`);
  }

  async setQuota(manager: EntityManager, partnerId: string, period: PartnerPeriod, amountMicros: string, currency: string): Promise<void> {
    await manager.query(
      `INSERT INTO partner_quotas (id, tenant_id, partner_id, period, period_start, period_end, amount_micros, currency)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::date, $5::date, $6, $7)
       ON CONFLICT (tenant_id, partner_id, period) DO UPDATE SET amount_micros = EXCLUDED.amount_micros, currency = EXCLUDED.currency, updated_at = now()`,
      [requireTenantId(), partnerId, period.period, period.start, period.end, amountMicros, currency],
    );
  }

  quotas(manager: EntityManager, partnerId: string): Promise<QuotaRow[]> {
    return manager.query(
      `SELECT partner_id, period, period_start::text AS period_start, period_end::text AS period_end, amount_micros::text AS amount_micros, currency
         FROM partner_quotas WHERE tenant_id = $1 AND partner_id = $2 ORDER BY period_start DESC, period`,
      [requireTenantId(), partnerId],
    );
  }

  /** Quotas of the period in the reporting currency, summed by partner or by the partners' region. */
  async quotaTotals(manager: EntityManager, grouping: 'partner' | 'region', period: string, currency: string, partnerId?: string): Promise<Map<string | null, bigint>> {
    const key = grouping === 'partner' ? 'q.partner_id::text' : 'p.region';
    const rows: Array<{ key: string | null; amount: string }> = await manager.query(
      `SELECT ${key} AS key, sum(q.amount_micros)::text AS amount
         FROM partner_quotas q JOIN partners p ON p.id = q.partner_id
        WHERE q.tenant_id = $1 AND q.period = $2 AND q.currency = $3 AND ($4::uuid IS NULL OR q.partner_id = $4::uuid)
        GROUP BY 1`,
      [requireTenantId(), period, currency, partnerId ?? null],
    );
    return new Map(rows.map((row) => [row.key, BigInt(row.amount)]));
  }

  /** Referral leads created in the period (and how many converted), by partner or by the partners' region. */
  async referralLeads(manager: EntityManager, grouping: 'partner' | 'region', period: PartnerPeriod, partnerId?: string): Promise<Map<string | null, { leads: number; converted: number }>> {
    const key = grouping === 'partner' ? 'l.partner_id::text' : 'p.region';
    const rows: Array<{ key: string | null; leads: string; converted: string }> = await manager.query(
      `SELECT ${key} AS key, count(*) AS leads, count(*) FILTER (WHERE l.status = 'converted') AS converted
         FROM leads l JOIN partners p ON p.id = l.partner_id AND p.tenant_id = l.tenant_id
        WHERE l.tenant_id = $1 AND l.partner_id IS NOT NULL AND l.created_at >= ($2::date::timestamp AT TIME ZONE 'UTC') AND l.created_at < ($3::date::timestamp AT TIME ZONE 'UTC') AND ($4::uuid IS NULL OR l.partner_id = $4::uuid)
        GROUP BY 1`,
      [requireTenantId(), period.start, period.end, partnerId ?? null],
    );
    return new Map(rows.map((row) => [row.key, { leads: Number(row.leads), converted: Number(row.converted) }]));
  }

  /**
   * Orders through partners placed in the period (not drafts, not cancelled), grouped by partner, by the partner's
   * region, or by product (order lines' net amounts), converted to the reporting currency in SQL:
   * partial sums per (group, currency, day) first, then the day's rate (see CurrencyConverter).
   */
  analysis(manager: EntityManager, grouping: PartnerGrouping, period: PartnerPeriod, reportingCurrency: string, partnerId?: string): Promise<AnalysisRow[]> {
    const orderFilter = `o.tenant_id = $1 AND o.partner_id IS NOT NULL AND o.status NOT IN ('draft', 'cancelled') AND o.placed_at >= ($3::date::timestamp AT TIME ZONE 'UTC') AND o.placed_at < ($4::date::timestamp AT TIME ZONE 'UTC') AND ($5::uuid IS NULL OR o.partner_id = $5::uuid)`;
    const day = `(o.placed_at AT TIME ZONE 'UTC')::date`;
    let perDay: string;
    switch (grouping) {
      case 'partner':
        perDay = `SELECT o.partner_id::text AS key, min(p.name) AS label, o.currency, ${day} AS day, count(*) AS orders, sum(o.total_micros) AS amount, NULL::numeric AS quantity
                    FROM orders o JOIN partners p ON p.id = o.partner_id AND p.tenant_id = o.tenant_id
                   WHERE ${orderFilter} GROUP BY o.partner_id, o.currency, ${day}`;
        break;
      case 'region':
        perDay = `SELECT p.region AS key, p.region AS label, o.currency, ${day} AS day, count(*) AS orders, sum(o.total_micros) AS amount, NULL::numeric AS quantity
                    FROM orders o JOIN partners p ON p.id = o.partner_id AND p.tenant_id = o.tenant_id
                   WHERE ${orderFilter} GROUP BY p.region, o.currency, ${day}`;
        break;
      case 'product':
        perDay = `SELECT COALESCE(l.product_id::text, l.sku, l.name) AS key, min(l.name) AS label, o.currency, ${day} AS day, count(DISTINCT o.id) AS orders,
                         sum(l.net_micros) AS amount, sum(l.quantity) AS quantity
                    FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.tenant_id = o.tenant_id
                   WHERE ${orderFilter} GROUP BY COALESCE(l.product_id::text, l.sku, l.name), o.currency, ${day}`;
        break;
    }
    return manager.query(
      `WITH ${ratesCteSql('$1', '$2')},
         per_day AS (${perDay}),
         converted AS (
           SELECT d.key, d.label, d.currency, d.orders, d.quantity, ${convertedSql('d.amount', 'fx')} AS converted, ${unconvertedSql('d.amount', 'fx')} AS unconverted
             FROM per_day d ${rateJoinSql('fx', 'd.currency', 'd.day')}
         ),
         unconverted AS (
           SELECT c.key, json_agg(json_build_object('currency', c.currency, 'amountMicros', c.amount::text) ORDER BY c.currency) AS amounts
             FROM (SELECT key, currency, sum(unconverted) AS amount FROM converted GROUP BY key, currency HAVING sum(unconverted) <> 0) c
            GROUP BY c.key
         )
       SELECT c.key, min(c.label) AS label, sum(c.orders)::integer AS orders, COALESCE(sum(c.converted), 0)::bigint::text AS revenue_micros,
              COALESCE(min(u.amounts::text), '[]')::json AS unconverted, sum(c.quantity)::text AS quantity
         FROM converted c LEFT JOIN unconverted u ON u.key IS NOT DISTINCT FROM c.key
        GROUP BY c.key
        ORDER BY COALESCE(sum(c.converted), 0) DESC, c.key`,
      [requireTenantId(), reportingCurrency, period.start, period.end, partnerId ?? null],
    );
  }
}
