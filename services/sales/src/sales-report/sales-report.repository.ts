import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import { convertedSql, dayRateJoinSql, dayRatesCteSql } from '../exchange-rates/currency-converter';
import { ownerScopeSql } from '../orders/owner-scope-sql';
import type { SalesGrouping } from './dto/sales-report.dto';

/** One group's figures in one currency bucket: the reporting currency (converted) or an unconvertible currency. */
export interface SalesRow {
  /** false: a group of the grouping; true: the whole period (every order once). */
  total: boolean;
  key: string | null;
  label: string | null;
  category: string | null;
  /** null: converted amounts in the reporting currency; else amounts in this currency that had no rate. */
  unconvertedCurrency: string | null;
  orders: number;
  revenue: bigint;
  costedRevenue: bigint;
  cost: bigint;
}

/** What an order-level grouping groups by, and the joins it needs (teams are grouped from owners, see below). */
const ORDER_KEYS: Record<Exclude<SalesGrouping, 'product' | 'team'>, { key: string; join: string }> = {
  owner: { key: 'o.owner_id::text', join: '' },
  partner: { key: 'o.partner_id::text', join: '' },
  region: { key: 'd.region', join: 'LEFT JOIN customer_directory d ON d.id = o.customer_id' },
};
const PRODUCT_KEY = `COALESCE(l.product_id::text, 'sku:' || l.sku, 'name:' || l.name)`;

/**
 * Revenue, orders and margins of a period in one pass over the orders (by product: over the order
 * lines, which carry what the report needs of their order), grouped in PostgreSQL: the period's rows
 * are hash-joined to the rate of their UTC day (`fx_days`, see currency-converter.ts) and summed per
 * (group, currency, rate) and per (currency, rate) for the totals (GROUPING SETS); each of those few
 * partial sums is then converted once. Teams are grouped from the per-owner sums joined to team
 * membership, so an owner in two teams counts in both teams but once in the totals.
 */
@Injectable()
export class SalesReportRepository {
  async rows(manager: EntityManager, grouping: SalesGrouping, reportingCurrency: string, from: Date, to: Date): Promise<SalesRow[]> {
    const lastDay = new Date(to.getTime() - 86_400_000).toISOString().slice(0, 10);
    const params: unknown[] = [requireTenantId(), reportingCurrency, from, to, from.toISOString().slice(0, 10), lastDay];
    let sums: string;
    if (grouping === 'product') {
      // Lines carry their order's day, currency, owner and cancellation; first_of_product counts each order once per product, line 1 once in the totals.
      const scope = ownerScopeSql('l.owner_id', params);
      sums = `SELECT ${PRODUCT_KEY} AS key, GROUPING(${PRODUCT_KEY}) AS is_total, max(l.name) AS label, max(l.category) AS category,
                     l.currency, fx.rate,
                     CASE WHEN GROUPING(${PRODUCT_KEY}) = 1 THEN count(*) FILTER (WHERE l.line_no = 1) ELSE count(*) FILTER (WHERE l.first_of_product) END AS orders,
                     sum(l.net_micros) AS revenue,
                     COALESCE(sum(l.net_micros) FILTER (WHERE l.cost_micros IS NOT NULL), 0) AS costed, COALESCE(sum(l.cost_micros), 0) AS cost
                FROM order_lines l ${dayRateJoinSql('fx', 'l.currency', `(l.placed_at AT TIME ZONE 'UTC')::date`)}
               WHERE l.tenant_id = $1 AND NOT l.cancelled AND NOT l.draft AND l.placed_at >= $3 AND l.placed_at < $4 AND ${scope}
               GROUP BY GROUPING SETS ((${PRODUCT_KEY}, l.currency, fx.rate), (l.currency, fx.rate))`;
    } else {
      const scope = ownerScopeSql('o.owner_id', params);
      const { key, join } = ORDER_KEYS[grouping === 'team' ? 'owner' : grouping];
      sums = `SELECT ${key} AS key, GROUPING(${key}) AS is_total, NULL::text AS label, NULL::text AS category,
                     o.currency, fx.rate, count(*) AS orders, sum(o.total_micros) AS revenue, sum(o.costed_revenue_micros) AS costed, sum(o.cost_micros) AS cost
                FROM orders o ${join} ${dayRateJoinSql('fx', 'o.currency', `(o.placed_at AT TIME ZONE 'UTC')::date`)}
               WHERE o.tenant_id = $1 AND o.status NOT IN ('draft', 'cancelled') AND o.placed_at >= $3 AND o.placed_at < $4 AND ${scope}
               GROUP BY GROUPING SETS ((${key}, o.currency, fx.rate), (o.currency, fx.rate))`;
    }
    const teams = grouping === 'team';
    const outerKey = teams ? 'CASE WHEN s.is_total = 0 THEN tm.team_id::text END' : 's.key';
    const teamJoin = teams ? 'LEFT JOIN user_team_members tm ON s.is_total = 0 AND tm.user_id = s.key::uuid AND tm.tenant_id = $1' : '';
    const amount = (column: string) => `sum(CASE WHEN s.rate IS NULL THEN s.${column} ELSE ${convertedSql(`s.${column}`, 's')} END)::text`;
    const rows: Array<Record<string, unknown>> = await manager.query(
      `WITH ${dayRatesCteSql('$1', '$2', '$5::date', '$6::date')},
         sums AS (${sums})
       SELECT s.is_total = 1 AS total, ${outerKey} AS key, max(s.label) AS label, max(s.category) AS category,
              CASE WHEN s.rate IS NULL THEN s.currency END AS unconverted_currency,
              sum(s.orders)::int AS orders, ${amount('revenue')} AS revenue, ${amount('costed')} AS costed, ${amount('cost')} AS cost
         FROM sums s ${teamJoin}
        GROUP BY 1, 2, 5`,
      params,
    );
    return rows.map((row) => ({
      total: row.total as boolean,
      key: row.key as string | null,
      label: row.label as string | null,
      category: row.category as string | null,
      unconvertedCurrency: row.unconverted_currency as string | null,
      orders: row.orders as number,
      revenue: BigInt(row.revenue as string),
      costedRevenue: BigInt(row.costed as string),
      cost: BigInt(row.cost as string),
    }));
  }

  /** Names of the users among `ids` (owner labels). */
  async userNames(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, name FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [requireTenantId(), [...ids]]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
