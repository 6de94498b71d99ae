import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An open opportunity idle longer than its stage allows, with what the task and the event need. */
export interface RottingCandidate {
  id: string;
  tenantId: string;
  customerId: string;
  name: string;
  pipelineId: string;
  stage: string;
  stageName: string;
  rottingDays: number;
  amountMicros: string;
  currency: string;
  ownerId: string;
  version: number;
  idleSince: Date;
  originKey: string;
}

/**
 * The rotting scan, set-based. Idle since = the latest of the opportunity's last stage change or update
 * (`last_touched_at`) and its last activity (other than rotting tasks themselves). An opportunity is
 * rotting when idle since longer than its stage's rotting days; it is due when its task for this idle
 * period (origin key `rotting:<id>:<stage>:<idle since, UTC date>`) does not exist yet.
 */
@Injectable()
export class OpportunityRottingRepository {
  /**
   * Tenants with open opportunities untouched for at least the shortest rotting period of any stage
   * (the partial index on last_touched_at of open opportunities). Needs a system transaction.
   */
  async tenantsWithCandidates(manager: EntityManager, now: Date): Promise<string[]> {
    const rows: Array<{ tenant_id: string }> = await manager.query(
      `WITH shortest AS (SELECT min(rotting_days) AS days FROM pipeline_stages WHERE kind = 'open' AND rotting_days IS NOT NULL)
       SELECT DISTINCT o.tenant_id FROM opportunities o, shortest
        WHERE o.status = 'open' AND shortest.days IS NOT NULL AND o.last_touched_at < $1::timestamptz - make_interval(days => shortest.days)`,
      [now],
    );
    return rows.map((row) => row.tenant_id);
  }

  /**
   * Up to `limit` due opportunities of the tenant, locked (SKIP LOCKED: a second scheduler instance, or a
   * user editing one, is not waited for; what is skipped is still due next run).
   */
  async due(manager: EntityManager, tenantId: string, now: Date, limit: number): Promise<RottingCandidate[]> {
    const rows: Array<{
      id: string;
      customer_id: string;
      name: string;
      pipeline_id: string;
      stage: string;
      stage_name: string;
      rotting_days: number;
      amount_micros: string;
      currency: string;
      owner_id: string;
      version: number;
      idle_since: Date;
      origin_key: string;
    }> = await manager.query(
      `WITH idle AS (
         SELECT o.id, o.customer_id, o.name, o.pipeline_id, o.stage, s.name AS stage_name, s.rotting_days, o.amount_micros, o.currency, o.owner_id, o.version,
                greatest(o.last_touched_at, a.last_activity_at) AS idle_since
           FROM opportunities o
           JOIN pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage AND s.kind = 'open' AND s.rotting_days IS NOT NULL
           LEFT JOIN LATERAL (
             SELECT max(greatest(act.created_at, act.updated_at)) AS last_activity_at
               FROM activities act
              WHERE act.opportunity_id = o.id AND act.tenant_id = o.tenant_id AND act.origin <> 'rotting'
           ) a ON true
          WHERE o.tenant_id = $1 AND o.status = 'open' AND o.last_touched_at < $2::timestamptz - make_interval(days => s.rotting_days)
       ), keyed AS (
         SELECT idle.*, 'rotting:' || idle.id || ':' || idle.stage || ':' || to_char(idle.idle_since AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS origin_key
           FROM idle
          WHERE idle.idle_since < $2::timestamptz - make_interval(days => idle.rotting_days)
       ), pending AS (
         SELECT keyed.* FROM keyed WHERE NOT EXISTS (SELECT 1 FROM activities t WHERE t.tenant_id = $1 AND t.origin_key = keyed.origin_key)
       ), locked AS (
         SELECT o.id FROM opportunities o
          WHERE o.tenant_id = $1 AND o.id IN (SELECT pending.id FROM pending) AND o.status = 'open'
          ORDER BY o.id LIMIT $3
            FOR UPDATE OF o SKIP LOCKED
       )
       SELECT pending.* FROM pending JOIN locked ON locked.id = pending.id ORDER BY pending.id`,
      [tenantId, now, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId,
      customerId: row.customer_id,
      name: row.name,
      pipelineId: row.pipeline_id,
      stage: row.stage,
      stageName: row.stage_name,
      rottingDays: row.rotting_days,
      amountMicros: row.amount_micros,
      currency: row.currency,
      ownerId: row.owner_id,
      version: row.version,
      idleSince: row.idle_since,
      originKey: row.origin_key,
    }));
  }
}
