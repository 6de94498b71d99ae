import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import { convertedSql, dayRateJoinSql, dayRatesCteSql } from '../exchange-rates/currency-converter';
import { ownerScopeSql } from '../orders/owner-scope-sql';

/** Open amounts of one owner in one month or overdue bucket: converted (currency null) or in an unconvertible currency. */
export interface ForecastRow {
  ownerId: string;
  /** YYYY-MM for expected receipts, the bucket (1-30, 31-60, 61-90, 90+) for overdue ones. */
  slot: string;
  unconvertedCurrency: string | null;
  amount: bigint;
  instalments: number;
}

export interface OverdueInstalmentRow {
  instalmentId: string;
  contractId: string;
  contractNumber: string;
  ownerId: string;
  dueDate: string;
  daysOverdue: number;
  currency: string;
  open: bigint;
}

export const BUCKET_SQL = (daysExpr: string): string =>
  `CASE WHEN ${daysExpr} <= 30 THEN '1-30' WHEN ${daysExpr} <= 60 THEN '31-60' WHEN ${daysExpr} <= 90 THEN '61-90' ELSE '90+' END`;

/**
 * The payment forecast in PostgreSQL. Sums come from `instalment_open_rollup` (open amount and number
 * of open instalments of collectible contracts per owner, currency and due date, kept exact by triggers
 * on contract_instalments, see migration 1746000000000-payment-forecast-rollup.ts): each roll-up row is
 * hash-joined to the rate valid on its due date (`fx_days`, see currency-converter.ts), open amounts are
 * summed per (owner, currency, rate, month, overdue bucket) in one pass, and each partial sum is converted
 * once — the same partial sums, hence the same figures, as over the instalments themselves. The oldest
 * overdue instalments are read from the partial index of open, collectible instalments
 * (contract_instalments_open_due_idx).
 */
@Injectable()
export class PaymentForecastRepository {
  /**
   * In one pass over the roll-up of open instalments: amounts due from..to (inclusive) by owner and month
   * (`expected`), and amounts due before asOf by owner and days-overdue bucket (`overdue`). An overdue
   * instalment inside from..to counts in both.
   */
  async openAmounts(
    manager: EntityManager,
    reportingCurrency: string,
    range: { from: string; to: string; asOf: string },
    ownerId: string | undefined,
  ): Promise<{ expected: ForecastRow[]; overdue: ForecastRow[] }> {
    const params: unknown[] = [requireTenantId(), reportingCurrency, range.from, range.to, range.asOf];
    const filter = this.filter(params, ownerId, 'r.owner_id');
    const firstDay = `LEAST($3::date, (SELECT min(f.due_date) FROM instalment_open_rollup f WHERE f.tenant_id = $1))`;
    const amount = `sum(CASE WHEN s.rate IS NULL THEN s.amount ELSE ${convertedSql('s.amount', 's')} END)::text`;
    const rows: Array<Record<string, unknown>> = await manager.query(
      `WITH ${dayRatesCteSql('$1', '$2', firstDay, 'GREATEST($4::date, $5::date - 1)')},
         sums AS MATERIALIZED (
           SELECT r.owner_id, r.currency, fx.rate,
                  CASE WHEN r.due_date >= $3::date AND r.due_date <= $4::date THEN date_trunc('month', r.due_date)::date END AS month,
                  CASE WHEN r.due_date < $5::date THEN ${BUCKET_SQL('($5::date - r.due_date)')} END AS bucket,
                  sum(r.open_micros) AS amount, sum(r.instalments) AS instalments
             FROM instalment_open_rollup r ${dayRateJoinSql('fx', 'r.currency', 'r.due_date')}
            WHERE r.tenant_id = $1 AND r.due_date <= GREATEST($4::date, $5::date - 1) AND (r.due_date >= $3::date OR r.due_date < $5::date) AND ${filter}
            GROUP BY r.owner_id, r.currency, fx.rate, 4, 5)
       SELECT 'expected' AS kind, s.owner_id, to_char(s.month, 'YYYY-MM') AS slot, CASE WHEN s.rate IS NULL THEN s.currency END AS unconverted_currency,
              ${amount} AS amount, sum(s.instalments)::int AS instalments
         FROM sums s WHERE s.month IS NOT NULL GROUP BY 2, 3, 4
       UNION ALL
       SELECT 'overdue', s.owner_id, s.bucket, CASE WHEN s.rate IS NULL THEN s.currency END,
              ${amount}, sum(s.instalments)::int
         FROM sums s WHERE s.bucket IS NOT NULL GROUP BY 2, 3, 4`,
      params,
    );
    const toRow = (row: Record<string, unknown>): ForecastRow => ({
      ownerId: row.owner_id as string,
      slot: row.slot as string,
      unconvertedCurrency: row.unconverted_currency as string | null,
      amount: BigInt(row.amount as string),
      instalments: row.instalments as number,
    });
    return { expected: rows.filter((row) => row.kind === 'expected').map(toRow), overdue: rows.filter((row) => row.kind === 'overdue').map(toRow) };
  }

  /** The longest overdue instalments, oldest due date first. */
  async oldestOverdue(manager: EntityManager, asOf: string, ownerId: string | undefined, limit: number): Promise<OverdueInstalmentRow[]> {
    const params: unknown[] = [requireTenantId(), asOf];
    const filter = this.filter(params, ownerId, 'i.owner_id');
    params.push(limit);
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT i.id, i.contract_id, c.contract_number, i.owner_id, i.due_date::text AS due_date, ($2::date - i.due_date) AS days, i.currency, (i.amount_micros - i.received_micros)::text AS open
         FROM contract_instalments i JOIN contracts c ON c.id = i.contract_id
        WHERE i.tenant_id = $1 AND i.collectible AND i.received_micros < i.amount_micros AND i.due_date < $2::date AND ${filter}
        ORDER BY i.due_date, i.id
        LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      instalmentId: row.id as string,
      contractId: row.contract_id as string,
      contractNumber: row.contract_number as string,
      ownerId: row.owner_id as string,
      dueDate: row.due_date as string,
      daysOverdue: Number(row.days),
      currency: row.currency as string,
      open: BigInt(row.open as string),
    }));
  }

  /** The ownership scope and the optional owner filter on `ownerColumn`. */
  private filter(params: unknown[], ownerId: string | undefined, ownerColumn: string): string {
    const conditions = [ownerScopeSql(ownerColumn, params)];
    if (ownerId) {
      params.push(ownerId);
      conditions.push(`${ownerColumn} = $${params.length}`);
    }
    return conditions.join(' AND ');
  }
}
