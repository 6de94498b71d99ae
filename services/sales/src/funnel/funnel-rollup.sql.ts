/*
 * The funnel rollup: per tenant, pipeline, UTC day the opportunities were opened, stage and currency,
 * the sums the funnel report needs, kept exact by statement-level triggers (transition tables, so a bulk
 * INSERT of a million opportunities updates it with one GROUP BY):
 *
 * - from `opportunities` (rows with the opportunity's currency): in_stage (opportunities in the stage now),
 *   amount_micros (their amount) and won_cycle_seconds (for the won stage: opened → won, summed);
 * - from `opportunity_stage_reach` (rows with currency ''): entered, advanced, left_count (opportunities
 *   that finished a stay in the stage) and left_ms (their time there).
 *
 * Every INSERT, UPDATE or DELETE adds the new rows' contributions and subtracts the old ones; groups whose
 * net change is zero are not touched, so edits that change no funnel figure (names, owners) never lock a
 * rollup row. Writers that do change it take a transaction-level advisory lock per (tenant, pipeline)
 * first, so two transactions never lock rollup rows in opposite orders (no deadlocks).
 *
 * This is version 1, as migration 1742 creates it (keep it unchanged). Migration 1747 adds the owner to the
 * key and replaces the trigger functions: see funnel-owner-rollup.sql.ts.
 */

export const FUNNEL_ROLLUP_TABLE = `
  CREATE TABLE funnel_rollup (
    tenant_id uuid NOT NULL,
    pipeline_id uuid NOT NULL,
    opened_day date NOT NULL,
    stage text NOT NULL,
    currency text NOT NULL,
    in_stage bigint NOT NULL DEFAULT 0,
    amount_micros numeric NOT NULL DEFAULT 0,
    won_cycle_seconds numeric NOT NULL DEFAULT 0,
    entered bigint NOT NULL DEFAULT 0,
    advanced bigint NOT NULL DEFAULT 0,
    left_count bigint NOT NULL DEFAULT 0,
    left_ms numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, pipeline_id, opened_day, stage, currency)
  )`;

/** One row's contribution to the rollup, with sign `sign` (1 or -1), from transition table `rows`. */
function opportunityContribution(rows: string, sign: 1 | -1): string {
  return `SELECT tenant_id, pipeline_id, (opened_at AT TIME ZONE 'UTC')::date AS opened_day, stage, currency,
                 ${sign}::bigint AS in_stage, ${sign} * amount_micros::numeric AS amount_micros,
                 ${sign} * CASE WHEN status = 'won' AND closed_at IS NOT NULL THEN extract(epoch FROM (closed_at - opened_at)) ELSE 0 END AS won_cycle_seconds,
                 0::bigint AS entered, 0::bigint AS advanced, 0::bigint AS left_count, 0::numeric AS left_ms
            FROM ${rows}`;
}

function reachContribution(rows: string, sign: 1 | -1): string {
  return `SELECT tenant_id, pipeline_id, (opened_at AT TIME ZONE 'UTC')::date AS opened_day, stage, ''::text AS currency,
                 0::bigint AS in_stage, 0::numeric AS amount_micros, 0::numeric AS won_cycle_seconds,
                 ${sign}::bigint AS entered, ${sign} * advanced::int::bigint AS advanced,
                 ${sign} * (stays_finished > 0)::int::bigint AS left_count,
                 ${sign} * CASE WHEN stays_finished > 0 THEN finished_ms ELSE 0 END::numeric AS left_ms
            FROM ${rows}`;
}

/** The body of a trigger function applying the net of `contributions` (UNION ALL of SELECTs). */
function applyDelta(contributions: string[]): string {
  const delta = `
    SELECT tenant_id, pipeline_id, opened_day, stage, currency,
           sum(in_stage) AS in_stage, sum(amount_micros) AS amount_micros, sum(won_cycle_seconds) AS won_cycle_seconds,
           sum(entered) AS entered, sum(advanced) AS advanced, sum(left_count) AS left_count, sum(left_ms) AS left_ms
      FROM (${contributions.join(' UNION ALL ')}) c
     GROUP BY tenant_id, pipeline_id, opened_day, stage, currency
    HAVING sum(in_stage) <> 0 OR sum(amount_micros) <> 0 OR sum(won_cycle_seconds) <> 0
        OR sum(entered) <> 0 OR sum(advanced) <> 0 OR sum(left_count) <> 0 OR sum(left_ms) <> 0`;
  return `
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('funnel_rollup:' || p.tenant_id::text || ':' || p.pipeline_id::text, 0))
         FROM (SELECT DISTINCT d.tenant_id, d.pipeline_id FROM (${delta}) d ORDER BY 1, 2) p;
      INSERT INTO funnel_rollup AS f (tenant_id, pipeline_id, opened_day, stage, currency, in_stage, amount_micros, won_cycle_seconds, entered, advanced, left_count, left_ms)
      SELECT * FROM (${delta}) d ORDER BY tenant_id, pipeline_id, opened_day, stage, currency
      ON CONFLICT (tenant_id, pipeline_id, opened_day, stage, currency) DO UPDATE
        SET in_stage = f.in_stage + EXCLUDED.in_stage, amount_micros = f.amount_micros + EXCLUDED.amount_micros,
            won_cycle_seconds = f.won_cycle_seconds + EXCLUDED.won_cycle_seconds, entered = f.entered + EXCLUDED.entered,
            advanced = f.advanced + EXCLUDED.advanced, left_count = f.left_count + EXCLUDED.left_count, left_ms = f.left_ms + EXCLUDED.left_ms;
      RETURN NULL;
    END`;
}

interface TriggerSpec {
  name: string;
  table: string;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  contributions: string[];
}

const TRIGGERS: TriggerSpec[] = [
  { name: 'opportunities_funnel_insert', table: 'opportunities', event: 'INSERT', contributions: [opportunityContribution('new_rows', 1)] },
  { name: 'opportunities_funnel_update', table: 'opportunities', event: 'UPDATE', contributions: [opportunityContribution('new_rows', 1), opportunityContribution('old_rows', -1)] },
  { name: 'opportunities_funnel_delete', table: 'opportunities', event: 'DELETE', contributions: [opportunityContribution('old_rows', -1)] },
  { name: 'stage_reach_funnel_insert', table: 'opportunity_stage_reach', event: 'INSERT', contributions: [reachContribution('new_rows', 1)] },
  { name: 'stage_reach_funnel_update', table: 'opportunity_stage_reach', event: 'UPDATE', contributions: [reachContribution('new_rows', 1), reachContribution('old_rows', -1)] },
  { name: 'stage_reach_funnel_delete', table: 'opportunity_stage_reach', event: 'DELETE', contributions: [reachContribution('old_rows', -1)] },
];

function referencing(event: TriggerSpec['event']): string {
  if (event === 'INSERT') return 'REFERENCING NEW TABLE AS new_rows';
  if (event === 'DELETE') return 'REFERENCING OLD TABLE AS old_rows';
  return 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows';
}

/** Statements creating the rollup's trigger functions and triggers (after the tables exist). */
export function funnelRollupTriggersSql(): string[] {
  return TRIGGERS.flatMap((trigger) => [
    `CREATE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$${applyDelta(trigger.contributions)}$fn$`,
    `CREATE TRIGGER ${trigger.name} AFTER ${trigger.event} ON ${trigger.table} ${referencing(trigger.event)} FOR EACH STATEMENT EXECUTE FUNCTION ${trigger.name}()`,
  ]);
}

export function dropFunnelRollupTriggersSql(): string[] {
  return TRIGGERS.flatMap((trigger) => [`DROP TRIGGER IF EXISTS ${trigger.name} ON ${trigger.table}`, `DROP FUNCTION IF EXISTS ${trigger.name}()`]);
}

/** Version 1's trigger functions again (CREATE OR REPLACE, the triggers stay): migration 1747's down(). */
export function funnelRollupFunctionsV1Sql(): string[] {
  return TRIGGERS.map((trigger) => `CREATE OR REPLACE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$${applyDelta(trigger.contributions)}$fn$`);
}
