import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { convertedSql, ratesCteSql, rateJoinSql } from '../exchange-rates/currency-converter';

/** What a forecast covers. */
export interface ForecastScope {
  tenantId: string;
  reportingCurrency: string;
  /** Period as half-open dates, YYYY-MM-DD. */
  start: string;
  end: string;
  /** Today (UTC), YYYY-MM-DD: open amounts and quotas convert at its rates. */
  today: string;
  commitThreshold: number;
  /** null: every owner. */
  owners: string[] | null;
}

export type ForecastBucket = 'won' | 'commit' | 'open';

/** Sums of one group (owner or team), bucket and currency. */
export interface ForecastRow {
  groupId: string;
  bucket: ForecastBucket;
  currency: string;
  /** Converted to the reporting currency (micros), over the amounts that had a rate. */
  amount: bigint;
  weighted: bigint;
  /** Amount without a rate, in `currency`. */
  unconverted: bigint;
}

export interface QuotaRow {
  subjectKind: 'user' | 'team';
  subjectId: string;
  /** In the reporting currency; null without a rate. */
  converted: bigint | null;
}

/**
 * The forecast's set-based queries: opportunities are first summed per (owner, bucket, currency, day) over
 * the partial indexes of won (by close time) and open (by expected close date) opportunities, then those
 * few rows are converted and summed per owner — or per team through the users read model's memberships.
 */
@Injectable()
export class ForecastRepository {
  /**
   * Sums per owner and, in the same statement, per team of `teamIds` (null: every team; an owner in two
   * teams counts in both) from the per-owner sums.
   */
  async sums(manager: EntityManager, scope: ForecastScope, teamIds: readonly string[] | null): Promise<{ owners: ForecastRow[]; teams: ForecastRow[] }> {
    const params: unknown[] = [scope.tenantId, scope.reportingCurrency, scope.start, scope.end, scope.commitThreshold, scope.today];
    const owners = scope.owners ? ` AND o.owner_id = ANY($${params.push(scope.owners)}::uuid[])` : '';
    const teams = teamIds ? ` AND tm.team_id = ANY($${params.push([...teamIds])}::uuid[])` : '';
    const rows: Array<{ kind: 'owner' | 'team'; group_id: string; bucket: ForecastBucket; currency: string; amount: string | null; weighted: string | null; unconverted: string | null }> =
      await manager.query(
        `WITH ${ratesCteSql('$1', '$2')},
         buckets AS (
           SELECT o.owner_id, o.currency, 'won'::text AS bucket, (o.closed_at AT TIME ZONE 'UTC')::date AS day,
                  sum(o.amount_micros)::numeric AS amount, sum(o.amount_micros)::numeric AS weighted
             FROM opportunities o
            WHERE o.tenant_id = $1 AND o.status = 'won'
              AND o.closed_at >= ($3::date)::timestamp AT TIME ZONE 'UTC' AND o.closed_at < ($4::date)::timestamp AT TIME ZONE 'UTC'${owners}
            GROUP BY o.owner_id, o.currency, (o.closed_at AT TIME ZONE 'UTC')::date
           UNION ALL
           SELECT o.owner_id, o.currency, CASE WHEN s.probability >= $5 OR s.key = 'contract_signed' THEN 'commit' ELSE 'open' END, $6::date,
                  sum(o.amount_micros)::numeric, sum(o.amount_micros::numeric * s.probability / 100)
             FROM opportunities o
             JOIN pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage
            WHERE o.tenant_id = $1 AND o.status = 'open' AND o.expected_close_date >= $3::date AND o.expected_close_date < $4::date${owners}
            GROUP BY 1, 2, 3
         ), per_owner AS MATERIALIZED (
           SELECT b.owner_id, b.bucket, b.currency,
                  sum(${convertedSql('b.amount', 'fx')}) AS amount, sum(${convertedSql('b.weighted', 'fx')}) AS weighted,
                  sum(b.amount) FILTER (WHERE fx.rate IS NULL) AS unconverted
             FROM buckets b ${rateJoinSql('fx', 'b.currency', 'b.day')}
            GROUP BY b.owner_id, b.bucket, b.currency
         )
         SELECT 'owner' AS kind, p.owner_id AS group_id, p.bucket, p.currency, p.amount::text AS amount, p.weighted::text AS weighted, p.unconverted::text AS unconverted
           FROM per_owner p
         UNION ALL
         SELECT 'team', tm.team_id, p.bucket, p.currency, sum(p.amount)::text, sum(p.weighted)::text, sum(p.unconverted)::text
           FROM per_owner p JOIN user_team_members tm ON tm.user_id = p.owner_id AND tm.tenant_id = $1${teams}
          GROUP BY tm.team_id, p.bucket, p.currency`,
        params,
      );
    const toRow = (row: (typeof rows)[number]): ForecastRow => ({
      groupId: row.group_id,
      bucket: row.bucket,
      currency: row.currency,
      amount: BigInt(row.amount ?? '0'),
      weighted: BigInt(row.weighted ?? '0'),
      unconverted: BigInt(row.unconverted ?? '0'),
    });
    return {
      owners: rows.filter((row) => row.kind === 'owner').map(toRow),
      teams: teamIds && teamIds.length === 0 ? [] : rows.filter((row) => row.kind === 'team').map(toRow),
    };
  }

  async quotas(manager: EntityManager, scope: ForecastScope, period: string): Promise<QuotaRow[]> {
    const rows: Array<{ subject_kind: 'user' | 'team'; subject_id: string; converted: string | null }> = await manager.query(
      `WITH ${ratesCteSql('$1', '$2')}
       SELECT q.subject_kind, q.subject_id, ${convertedSql('q.amount_micros', 'fx')}::text AS converted
         FROM quotas q ${rateJoinSql('fx', 'q.currency', '$4::date')}
        WHERE q.tenant_id = $1 AND q.period = $3`,
      [scope.tenantId, scope.reportingCurrency, period, scope.today],
    );
    return rows.map((row) => ({ subjectKind: row.subject_kind, subjectId: row.subject_id, converted: row.converted === null ? null : BigInt(row.converted) }));
  }
}
