/*
 * The funnel roll-up with the owner in its key (migration 1747; the first version, without owners, is
 * funnel-rollup.sql.ts and stays as migration 1742 created it).
 *
 * `funnel_rollup` holds, per tenant, pipeline, owner, UTC day the opportunities were opened, stage and
 * currency, the sums the funnel report needs. `owner_id IS NULL` rows hold the same sums over every owner,
 * so a funnel of the whole tenant reads as few rows as before; rows with an owner serve a rep's, a team's
 * or a manager's funnel (owner_id = ANY(...)). The key is a unique index NULLS NOT DISTINCT.
 *
 * - from `opportunities` (rows with the opportunity's currency): in_stage, amount_micros, won_cycle_seconds
 *   under the opportunity's owner;
 * - from `opportunity_stage_reach` (rows with currency ''): entered, advanced, left_count, left_ms under the
 *   owner of the opportunity now (the reach table has no owner: the triggers look it up).
 *
 * Statement-level triggers with transition tables keep it exact: every INSERT, UPDATE or DELETE adds the new
 * rows' contributions and subtracts the old ones, each under its owner and under NULL (all owners):
 *
 * - an owner change of an opportunity (PATCH ownerId, a handover's bulk UPDATE) moves its opportunity row
 *   (old owner's contribution out, new owner's in) and also its stage-reach rows, read from the reach table
 *   as they are after the statement; the all-owner rows net to zero and are not touched;
 * - a reach row is booked under the owner its opportunity has when the reach row is written. Writers of
 *   reach rows (stage moves, the opener) hold the opportunity's row lock (FOR UPDATE, or they inserted it),
 *   and an owner change updates that row, so the two never interleave;
 * - deleting an opportunity first deletes its reach rows (a BEFORE DELETE row trigger), while the
 *   opportunity and its owner are still visible, instead of leaving them to the foreign key's cascade.
 *
 * Groups whose net change is zero are not touched (a rename locks no roll-up row). Writers that change it
 * take a transaction-level advisory lock per (tenant, pipeline) first, the same lock as version 1, then
 * upsert in key order, so two transactions never lock roll-up rows in opposite orders.
 */

const COLUMNS = 'tenant_id, pipeline_id, owner_id, opened_day, stage, currency, in_stage, amount_micros, won_cycle_seconds, entered, advanced, left_count, left_ms';
const KEY = 'tenant_id, pipeline_id, owner_id, opened_day, stage, currency';

/** Version 2 of the roll-up's key: the owner added, NULL = every owner. */
export const FUNNEL_ROLLUP_KEY_INDEX = `CREATE UNIQUE INDEX funnel_rollup_key_idx ON funnel_rollup (${KEY}) NULLS NOT DISTINCT`;

/** An opportunity's contribution with sign `sign`, from `rows` (a transition table or `opportunities`). */
function opportunityContribution(rows: string, sign: 1 | -1): string {
  return `SELECT tenant_id, pipeline_id, owner_id, (opened_at AT TIME ZONE 'UTC')::date AS opened_day, stage, currency,
                 ${sign}::bigint AS in_stage, ${sign} * amount_micros::numeric AS amount_micros,
                 ${sign} * CASE WHEN status = 'won' AND closed_at IS NOT NULL THEN extract(epoch FROM (closed_at - opened_at)) ELSE 0 END AS won_cycle_seconds,
                 0::bigint AS entered, 0::bigint AS advanced, 0::bigint AS left_count, 0::numeric AS left_ms
            FROM ${rows}`;
}

/** Stage-reach rows `r` (from `source`, a FROM list) contributing with sign `sign` under owner `owner`. */
function reachContribution(source: string, owner: string, sign: 1 | -1): string {
  return `SELECT r.tenant_id, r.pipeline_id, ${owner} AS owner_id, (r.opened_at AT TIME ZONE 'UTC')::date AS opened_day, r.stage, ''::text AS currency,
                 0::bigint AS in_stage, 0::numeric AS amount_micros, 0::numeric AS won_cycle_seconds,
                 ${sign}::bigint AS entered, ${sign} * r.advanced::int::bigint AS advanced,
                 ${sign} * (r.stays_finished > 0)::int::bigint AS left_count,
                 ${sign} * CASE WHEN r.stays_finished > 0 THEN r.finished_ms ELSE 0 END::numeric AS left_ms
            FROM ${source}`;
}

/** Reach rows of a transition table, under their opportunity's owner now. */
function reachRows(rows: string, sign: 1 | -1): string {
  return reachContribution(`${rows} r JOIN opportunities o ON o.id = r.opportunity_id`, 'o.owner_id', sign);
}

/** The reach rows of the opportunities whose owner an UPDATE changed: out of the old owner, into the new. */
const OWNER_MOVES = [
  reachContribution(`new_rows n JOIN old_rows p ON p.id = n.id AND p.owner_id <> n.owner_id JOIN opportunity_stage_reach r ON r.opportunity_id = n.id`, 'n.owner_id', 1),
  reachContribution(`new_rows n JOIN old_rows p ON p.id = n.id AND p.owner_id <> n.owner_id JOIN opportunity_stage_reach r ON r.opportunity_id = n.id`, 'p.owner_id', -1),
];

/** The net of `contributions` (UNION ALL of SELECTs) per roll-up row: each under its owner and under NULL (every owner). */
function delta(contributions: string[]): string {
  return `
    SELECT c.tenant_id, c.pipeline_id, k.owner_id, c.opened_day, c.stage, c.currency,
           sum(c.in_stage) AS in_stage, sum(c.amount_micros) AS amount_micros, sum(c.won_cycle_seconds) AS won_cycle_seconds,
           sum(c.entered) AS entered, sum(c.advanced) AS advanced, sum(c.left_count) AS left_count, sum(c.left_ms) AS left_ms
      FROM (${contributions.join(' UNION ALL ')}) c
     CROSS JOIN LATERAL (VALUES (c.owner_id), (NULL::uuid)) AS k (owner_id)
     GROUP BY c.tenant_id, c.pipeline_id, k.owner_id, c.opened_day, c.stage, c.currency
    HAVING sum(c.in_stage) <> 0 OR sum(c.amount_micros) <> 0 OR sum(c.won_cycle_seconds) <> 0
        OR sum(c.entered) <> 0 OR sum(c.advanced) <> 0 OR sum(c.left_count) <> 0 OR sum(c.left_ms) <> 0`;
}

function applyDelta(contributions: string[]): string {
  const net = delta(contributions);
  return `
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('funnel_rollup:' || p.tenant_id::text || ':' || p.pipeline_id::text, 0))
         FROM (SELECT DISTINCT d.tenant_id, d.pipeline_id FROM (${net}) d ORDER BY 1, 2) p;
      INSERT INTO funnel_rollup AS f (${COLUMNS})
      SELECT ${COLUMNS} FROM (${net}) d ORDER BY tenant_id, pipeline_id, owner_id NULLS FIRST, opened_day, stage, currency
      ON CONFLICT (${KEY}) DO UPDATE
        SET in_stage = f.in_stage + EXCLUDED.in_stage, amount_micros = f.amount_micros + EXCLUDED.amount_micros,
            won_cycle_seconds = f.won_cycle_seconds + EXCLUDED.won_cycle_seconds, entered = f.entered + EXCLUDED.entered,
            advanced = f.advanced + EXCLUDED.advanced, left_count = f.left_count + EXCLUDED.left_count, left_ms = f.left_ms + EXCLUDED.left_ms;
      RETURN NULL;
    END`;
}

/** The statement triggers of version 1 (same names, tables and events); version 2 replaces their functions. */
const FUNCTIONS: Array<{ name: string; contributions: string[] }> = [
  { name: 'opportunities_funnel_insert', contributions: [opportunityContribution('new_rows', 1)] },
  { name: 'opportunities_funnel_update', contributions: [opportunityContribution('new_rows', 1), opportunityContribution('old_rows', -1), ...OWNER_MOVES] },
  { name: 'opportunities_funnel_delete', contributions: [opportunityContribution('old_rows', -1)] },
  { name: 'stage_reach_funnel_insert', contributions: [reachRows('new_rows', 1)] },
  { name: 'stage_reach_funnel_update', contributions: [reachRows('new_rows', 1), reachRows('old_rows', -1)] },
  { name: 'stage_reach_funnel_delete', contributions: [reachRows('old_rows', -1)] },
];

const BEFORE_DELETE = 'opportunities_funnel_before_delete';

/** Statements replacing the trigger functions with version 2 and adding the BEFORE DELETE trigger. */
export function funnelOwnerRollupTriggersSql(): string[] {
  return [
    ...FUNCTIONS.map((fn) => `CREATE OR REPLACE FUNCTION ${fn.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$${applyDelta(fn.contributions)}$fn$`),
    // Reach rows go first, while their opportunity (and so their owner) is still there; the cascade then finds none.
    `CREATE FUNCTION ${BEFORE_DELETE}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM opportunity_stage_reach WHERE opportunity_id = OLD.id;
        RETURN OLD;
      END$fn$`,
    `CREATE TRIGGER ${BEFORE_DELETE} BEFORE DELETE ON opportunities FOR EACH ROW EXECUTE FUNCTION ${BEFORE_DELETE}()`,
  ];
}

export function dropFunnelOwnerRollupTriggerSql(): string[] {
  return [`DROP TRIGGER IF EXISTS ${BEFORE_DELETE} ON opportunities`, `DROP FUNCTION IF EXISTS ${BEFORE_DELETE}()`];
}

/** Recomputes the whole roll-up (every tenant: run with the row-level-security bypass) from the base tables, with the triggers' formulas. */
export const FUNNEL_ROLLUP_BACKFILL = `
  INSERT INTO funnel_rollup (${COLUMNS})
  SELECT ${COLUMNS} FROM (${delta([
    opportunityContribution('opportunities', 1),
    reachContribution('opportunity_stage_reach r JOIN opportunities o ON o.id = r.opportunity_id', 'o.owner_id', 1),
  ])}) d`;
