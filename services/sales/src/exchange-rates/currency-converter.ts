import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';

/*
 * Money in reports: amounts are summed in the tenant's reporting currency, and amounts whose currency
 * has no rate are reported beside the total, per currency, never silently dropped.
 *
 * ## Rates
 * `exchange_rates` rows say: 1 unit of `currency` = `rate` units of `to_currency` (the reporting
 * currency the rate was entered for), from `valid_from` (a date) until the next rate of that currency.
 * The rate valid at a date D is the one with the latest `valid_from <= D`; before the first rate of a
 * currency there is none. The reporting currency itself converts at 1, always. Changing the reporting
 * currency leaves the old rates in place but unused (they convert to the old currency).
 *
 * ## Converting in SQL, large reports: a rate per day (preferred)
 * 1. Put `dayRatesCteSql(tenantParam, reportingParam, firstDayExpr, lastDayExpr)` in the WITH list.
 *    It defines `fx_days(currency, day, rate)`: for every day of [first, last] (both included, dates)
 *    and every currency with a rate, the rate valid that day (NULL before its first rate), and the
 *    reporting currency at 1. A few thousand rows at most.
 * 2. `dayRateJoinSql(alias, currencyExpr, dayExpr)` LEFT JOINs it on equality, so PostgreSQL hash-joins
 *    a million rows against that small table; rows with `<alias>.rate IS NULL` have no rate.
 * 3. GROUP BY your keys plus the currency and `<alias>.rate`, summing the raw micros, then convert each
 *    partial sum once in an outer query: `convertedSql('amount', alias)` / `unconvertedSql(...)`.
 *
 * ```sql
 * WITH ${dayRatesCteSql('$1', '$2', '$3::date', '$4::date')},
 *   sums AS (SELECT o.owner_id, o.currency, fx.rate, sum(o.total_micros) AS amount
 *              FROM orders o ${dayRateJoinSql('fx', 'o.currency', "(o.placed_at AT TIME ZONE 'UTC')::date")}
 *             WHERE o.tenant_id = $1 AND o.placed_at >= $3 AND o.placed_at < $4::date + 1
 *             GROUP BY 1, 2, 3)
 * SELECT s.owner_id, CASE WHEN s.rate IS NULL THEN s.currency END AS unconverted_currency,
 *        sum(CASE WHEN s.rate IS NULL THEN s.amount ELSE ${convertedSql('s.amount', 's')} END)::text AS amount
 *   FROM sums s GROUP BY 1, 2
 * ```
 * (Here the alias of the rate in the outer query is `s`, whose `rate` column is the joined rate.)
 *
 * ## Converting in SQL, small queries: validity ranges
 * `ratesCteSql(tenantParam, reportingParam)` defines `fx_rates(currency, rate, valid_from, valid_to)`
 * (half-open ranges, the reporting currency at 1 from -infinity) and `rateJoinSql(alias, currencyExpr,
 * dateExpr)` LEFT JOINs the rate valid at a date with a range condition: simple, but a per-row range
 * probe, so aggregate first on large tables.
 *
 * For a single amount in code, `CurrencyConverter.convert(manager, micros, currency, date)`.
 */

/** The reporting currency of a tenant that never chose one. */
export const DEFAULT_REPORTING_CURRENCY = 'CNY';

/** Name of the CTE `ratesCteSql` defines. */
export const RATES_CTE = 'fx_rates';
/** Name of the CTE `dayRatesCteSql` defines. */
export const DAY_RATES_CTE = 'fx_days';

/**
 * CTE `fx_days(currency, day, rate)`: the rate valid on every day from `firstDayExpr` to `lastDayExpr`
 * (SQL date expressions, both included) for every currency with a rate to the reporting currency, and
 * the reporting currency at 1. `rate` is NULL on days before a currency's first rate.
 */
export function dayRatesCteSql(tenantParam: string, reportingParam: string, firstDayExpr: string, lastDayExpr: string): string {
  return `${DAY_RATES_CTE} AS (
      SELECT c.currency, d.day::date AS day,
             CASE WHEN c.currency = ${reportingParam}::text THEN 1::numeric ELSE
               (SELECT r.rate FROM exchange_rates r
                 WHERE r.tenant_id = ${tenantParam} AND r.to_currency = ${reportingParam}::text AND r.currency = c.currency AND r.valid_from <= d.day::date
                 ORDER BY r.valid_from DESC LIMIT 1) END AS rate
        FROM (SELECT DISTINCT r.currency FROM exchange_rates r WHERE r.tenant_id = ${tenantParam} AND r.to_currency = ${reportingParam}::text
              UNION SELECT ${reportingParam}::text) c
       CROSS JOIN generate_series((${firstDayExpr})::timestamp, (${lastDayExpr})::timestamp, interval '1 day') AS d(day)
    )`;
}

/** LEFT JOIN of `fx_days` as `alias` on the rate of `currencyExpr` on day `dayExpr` (a date expression): an equality join. */
export function dayRateJoinSql(alias: string, currencyExpr: string, dayExpr: string): string {
  return `LEFT JOIN ${DAY_RATES_CTE} ${alias} ON ${alias}.currency = ${currencyExpr} AND ${alias}.day = ${dayExpr}`;
}

/** CTE `fx_rates(currency, rate, valid_from, valid_to)`: validity ranges of the rates to the reporting currency (see above). */
export function ratesCteSql(tenantParam: string, reportingParam: string): string {
  return `${RATES_CTE} AS (
      SELECT r.currency, r.rate, r.valid_from::timestamp AS valid_from,
             lead(r.valid_from::timestamp) OVER (PARTITION BY r.currency ORDER BY r.valid_from) AS valid_to
        FROM exchange_rates r
       WHERE r.tenant_id = ${tenantParam} AND r.to_currency = ${reportingParam}::text
      UNION ALL
      SELECT ${reportingParam}::text, 1::numeric, '-infinity'::timestamp, NULL::timestamp
    )`;
}

/**
 * LEFT JOIN of `fx_rates` as `alias` on the rate of `currencyExpr` valid at `dateExpr` (a date or a
 * timestamp; a timestamp converts at the rate of its calendar day in UTC).
 */
export function rateJoinSql(alias: string, currencyExpr: string, dateExpr: string): string {
  return `LEFT JOIN ${RATES_CTE} ${alias} ON ${alias}.currency = ${currencyExpr}
      AND (${dateExpr})::date >= ${alias}.valid_from AND (${alias}.valid_to IS NULL OR (${dateExpr})::date < ${alias}.valid_to)`;
}

/** The amount in micros of the reporting currency (numeric, rounded half away from zero), NULL when there is no rate. */
export function convertedSql(amountExpr: string, alias: string): string {
  return `round((${amountExpr})::numeric * ${alias}.rate)`;
}

/** The original amount when it cannot be converted (no rate), else 0; group it by currency to report it. */
export function unconvertedSql(amountExpr: string, alias: string): string {
  return `CASE WHEN ${alias}.rate IS NULL THEN (${amountExpr}) ELSE 0 END`;
}

/**
 * Planner settings for the rest of a read-only report transaction over ~1M rows: enough work_mem for
 * the hash aggregates and hash joins to stay in memory, and no merge joins (with the `fx_days` join
 * the planner misjudges the join size and sorts a million rows to disk for a merge join; the hash
 * join against the few-thousand-row day table is 2–3× faster). SET LOCAL: ends with the transaction.
 */
export async function prepareReportTransaction(manager: EntityManager): Promise<void> {
  await manager.query(`SET LOCAL work_mem = '64MB'`);
  await manager.query(`SET LOCAL enable_mergejoin = off`);
}

/** Amounts a report could not convert, by currency (micros as decimal strings). */
export interface UnconvertedAmount {
  currency: string;
  amountMicros: string;
}

/** Tenant settings of order to cash: reporting currency and renewal reminder days. */
export interface OrderToCashSettings {
  reportingCurrency: string;
  renewalReminderDays: number;
  version: number;
}

/** Reads the tenant's reporting currency and converts single amounts; reports use the SQL helpers above. */
@Injectable()
export class CurrencyConverter {
  /** The tenant's reporting currency (the current request's tenant unless given), CNY until set. */
  async reportingCurrency(manager: EntityManager, tenantId: string = requireTenantId()): Promise<string> {
    return (await this.settings(manager, tenantId)).reportingCurrency;
  }

  /** Every order-to-cash setting of the tenant, defaults where never set. */
  async settings(manager: EntityManager, tenantId: string = requireTenantId()): Promise<OrderToCashSettings> {
    const rows: Array<{ reporting_currency: string; renewal_reminder_days: number; version: number }> = await manager.query(
      `SELECT reporting_currency, renewal_reminder_days, version FROM order_to_cash_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    return row
      ? { reportingCurrency: row.reporting_currency, renewalReminderDays: row.renewal_reminder_days, version: row.version }
      : { reportingCurrency: DEFAULT_REPORTING_CURRENCY, renewalReminderDays: 30, version: 0 };
  }

  /**
   * `micros` of `currency` in micros of the reporting currency at the rate valid on `date`
   * (YYYY-MM-DD or a Date, its UTC day); null when no rate is valid then.
   */
  async convert(manager: EntityManager, micros: bigint, currency: string, date: string | Date): Promise<bigint | null> {
    const tenantId = requireTenantId();
    const reporting = await this.reportingCurrency(manager, tenantId);
    if (currency === reporting) return micros;
    const day = typeof date === 'string' ? date : date.toISOString().slice(0, 10);
    const rows: Array<{ converted: string }> = await manager.query(
      `SELECT round($4::numeric * r.rate)::text AS converted
         FROM exchange_rates r
        WHERE r.tenant_id = $1 AND r.to_currency = $2 AND r.currency = $3 AND r.valid_from <= $5::date
        ORDER BY r.valid_from DESC LIMIT 1`,
      [tenantId, reporting, currency, micros.toString(), day],
    );
    return rows[0] ? BigInt(rows[0].converted) : null;
  }
}
