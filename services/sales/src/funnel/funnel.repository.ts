import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { convertedSql, ratesCteSql, rateJoinSql } from '../exchange-rates/currency-converter';

/** Which opportunities a funnel covers: one pipeline, opened in [from, to), optionally some owners only. */
export interface FunnelCohort {
  tenantId: string;
  pipelineId: string;
  from: Date | null;
  to: Date | null;
  /** null: every owner. */
  owners: string[] | null;
}

/** Whole UTC days of one pipeline, [fromDay, toDay) as YYYY-MM-DD (null: unbounded), optionally some owners only. */
export interface FunnelDays {
  tenantId: string;
  pipelineId: string;
  fromDay: string | null;
  toDay: string | null;
  /** null: every owner (the roll-up's all-owner rows). */
  owners: string[] | null;
}

/** Opportunities in one stage now, per currency. */
export interface StageSnapshotRow {
  stage: string;
  currency: string;
  count: number;
  amountMicros: bigint;
  /** In the reporting currency; null when there is no rate for `currency`. */
  convertedMicros: bigint | null;
  /** For the won stage: opened → won, summed over its opportunities. */
  cycleSeconds: number;
}

/** What the cohort did in one open stage. */
export interface StageReachRow {
  stage: string;
  entered: number;
  advanced: number;
  /** Opportunities that finished at least one stay in the stage, and their time there in total. */
  leftCount: number;
  leftMs: bigint;
}

export interface FunnelSums {
  snapshot: StageSnapshotRow[];
  reach: StageReachRow[];
}

interface SnapshotSqlRow {
  stage: string;
  currency: string;
  n: string;
  amount: string;
  converted: string | null;
  cycle: string | null;
}

interface ReachSqlRow {
  stage: string;
  entered: string;
  advanced: string;
  left_count: string;
  left_ms: string | null;
}

/**
 * The funnel's set-based queries, in two flavours with the same results: over `funnel_rollup` for whole
 * UTC days (a few rows per day, stage and owner, however many opportunities; the all-owner rows when no
 * owner is asked for), and over the base tables for partial days (index ranges on (tenant, pipeline,
 * opened_at) and (tenant, owner, pipeline, opened_at)).
 * Amounts are summed per (stage, currency) first and only those sums are converted, at `rateDate`.
 */
@Injectable()
export class FunnelRepository {
  async rollup(manager: EntityManager, days: FunnelDays, reportingCurrency: string, rateDate: string): Promise<FunnelSums> {
    const snapshotParams: unknown[] = [days.tenantId, reportingCurrency, rateDate];
    const snapshot: SnapshotSqlRow[] = await manager.query(
      `WITH ${ratesCteSql('$1', '$2')},
       per_stage AS (
         SELECT f.stage, f.currency, sum(f.in_stage) AS n, sum(f.amount_micros) AS amount, sum(f.won_cycle_seconds) AS cycle
           FROM funnel_rollup f
          WHERE ${dayConditions(days, snapshotParams)} AND f.currency <> ''
          GROUP BY f.stage, f.currency
         HAVING sum(f.in_stage) <> 0
       )
       SELECT p.stage, p.currency, p.n::text AS n, p.amount::text AS amount, ${convertedSql('p.amount', 'fx')}::text AS converted, p.cycle::text AS cycle
         FROM per_stage p ${rateJoinSql('fx', 'p.currency', '$3::date')}`,
      snapshotParams,
    );
    const reachParams: unknown[] = [days.tenantId];
    const reach: ReachSqlRow[] = await manager.query(
      `SELECT f.stage, sum(f.entered)::text AS entered, sum(f.advanced)::text AS advanced, sum(f.left_count)::text AS left_count, sum(f.left_ms)::text AS left_ms
         FROM funnel_rollup f
        WHERE ${dayConditions(days, reachParams)} AND f.currency = ''
        GROUP BY f.stage
       HAVING sum(f.entered) <> 0 OR sum(f.advanced) <> 0 OR sum(f.left_count) <> 0 OR sum(f.left_ms) <> 0`,
      reachParams,
    );
    return { snapshot: snapshot.map(toSnapshot), reach: reach.map(toReach) };
  }

  async raw(manager: EntityManager, cohort: FunnelCohort, reportingCurrency: string, rateDate: string): Promise<FunnelSums> {
    const snapshotParams: unknown[] = [cohort.tenantId, reportingCurrency, rateDate];
    const snapshot: SnapshotSqlRow[] = await manager.query(
      `WITH ${ratesCteSql('$1', '$2')},
       per_stage AS (
         SELECT o.stage, o.currency, count(*) AS n, sum(o.amount_micros) AS amount,
                sum(extract(epoch FROM (o.closed_at - o.opened_at))) FILTER (WHERE o.status = 'won') AS cycle
           FROM opportunities o
          WHERE ${cohortConditions('o', cohort, snapshotParams)}
          GROUP BY o.stage, o.currency
       )
       SELECT p.stage, p.currency, p.n::text AS n, p.amount::text AS amount, ${convertedSql('p.amount', 'fx')}::text AS converted, p.cycle::text AS cycle
         FROM per_stage p ${rateJoinSql('fx', 'p.currency', '$3::date')}`,
      snapshotParams,
    );
    // Driven from the cohort's opportunities (an index range), each looked up in the reach table by primary
    // key: OFFSET 0 keeps the planner from hashing the whole reach table for a few thousand opportunities.
    const reachParams: unknown[] = [cohort.tenantId];
    const reach: ReachSqlRow[] = await manager.query(
      `SELECT r.stage, count(*)::text AS entered, count(*) FILTER (WHERE r.advanced)::text AS advanced,
              count(*) FILTER (WHERE r.stays_finished > 0)::text AS left_count,
              sum(r.finished_ms) FILTER (WHERE r.stays_finished > 0)::text AS left_ms
         FROM opportunities o
        CROSS JOIN LATERAL (
          SELECT sr.stage, sr.advanced, sr.stays_finished, sr.finished_ms FROM opportunity_stage_reach sr WHERE sr.opportunity_id = o.id OFFSET 0
        ) r
        WHERE ${cohortConditions('o', cohort, reachParams)}
        GROUP BY r.stage`,
      reachParams,
    );
    return { snapshot: snapshot.map(toSnapshot), reach: reach.map(toReach) };
  }
}

/** WHERE conditions on funnel_rollup `f`; `$1` must be the tenant id, the rest are appended to `params`. */
function dayConditions(days: FunnelDays, params: unknown[]): string {
  const conditions = ['f.tenant_id = $1', `f.pipeline_id = $${params.push(days.pipelineId)}`];
  conditions.push(days.owners ? `f.owner_id = ANY($${params.push(days.owners)}::uuid[])` : 'f.owner_id IS NULL');
  if (days.fromDay) conditions.push(`f.opened_day >= $${params.push(days.fromDay)}::date`);
  if (days.toDay) conditions.push(`f.opened_day < $${params.push(days.toDay)}::date`);
  return conditions.join(' AND ');
}

/** WHERE conditions of the cohort on opportunities `alias`; `$1` must be the tenant id, the rest are appended to `params`. */
function cohortConditions(alias: string, cohort: FunnelCohort, params: unknown[]): string {
  const conditions = [`${alias}.tenant_id = $1`, `${alias}.pipeline_id = $${params.push(cohort.pipelineId)}`];
  if (cohort.from) conditions.push(`${alias}.opened_at >= $${params.push(cohort.from)}`);
  if (cohort.to) conditions.push(`${alias}.opened_at < $${params.push(cohort.to)}`);
  if (cohort.owners) conditions.push(`${alias}.owner_id = ANY($${params.push(cohort.owners)}::uuid[])`);
  return conditions.join(' AND ');
}

function toSnapshot(row: SnapshotSqlRow): StageSnapshotRow {
  return {
    stage: row.stage,
    currency: row.currency,
    count: Number(row.n),
    amountMicros: BigInt(row.amount),
    convertedMicros: row.converted === null ? null : BigInt(row.converted),
    cycleSeconds: Number(row.cycle ?? 0),
  };
}

function toReach(row: ReachSqlRow): StageReachRow {
  return { stage: row.stage, entered: Number(row.entered), advanced: Number(row.advanced), leftCount: Number(row.left_count), leftMs: BigInt(row.left_ms ?? '0') };
}
