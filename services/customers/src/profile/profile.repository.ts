import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { CustomerEntity } from '../customers/customer.entity';
import type { OrderFigures } from '../lifecycle/lifecycle-rules';
import { teamMembersSql } from '../users/users.repository';
import { CustomerProfileEntity } from './customer-profile.entity';
import type { ProfileScores } from './events/analytics-events';
import { OPEN_TICKET_STATUSES, type ProfileFact } from './profile-event';

/** A customer with the summary of its profile (null before any event about it). */
export type CustomerWithProfile = CustomerEntity & { profile: CustomerProfileEntity | null };

/** Merge chains are short (a survivor merged again); the walk stops here to survive a corrupt cycle. */
export const MAX_MERGE_DEPTH = 20;

/**
 * The summary recomputed from the facts of the given customers, in one statement: counts and last
 * times by kind, sums per currency. The rows exist and are locked (see `lock`), so the statement's
 * snapshot, taken after the lock, sees every fact committed before.
 */
const RECOMPUTE_SQL = `
  WITH ids AS (SELECT DISTINCT unnest($2::uuid[]) AS customer_id),
  f AS (SELECT * FROM customer_profile_facts WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])),
  figures AS (
    SELECT ids.customer_id,
           count(*) FILTER (WHERE f.kind = 'order' AND f.status = 'placed') AS orders_count,
           max(f.occurred_at) FILTER (WHERE f.kind = 'order' AND f.status = 'placed') AS last_order_at,
           count(*) FILTER (WHERE f.kind = 'opportunity' AND f.status = 'open') AS open_opportunities_count,
           count(*) FILTER (WHERE f.kind = 'ticket' AND f.status = ANY($3::text[])) AS open_tickets_count,
           max(f.occurred_at) FILTER (WHERE f.kind = 'contact') AS last_contact_at,
           COALESCE(sum(f.score) FILTER (WHERE f.kind = 'survey'), 0) AS csat_sum,
           count(*) FILTER (WHERE f.kind = 'survey') AS csat_count
      FROM ids LEFT JOIN f ON f.customer_id = ids.customer_id
     GROUP BY ids.customer_id),
  amounts AS (
    SELECT customer_id,
           jsonb_object_agg(currency, total::text) FILTER (WHERE kind = 'order') AS revenue,
           jsonb_object_agg(currency, total::text) FILTER (WHERE kind = 'opportunity') AS pipeline
      FROM (SELECT customer_id, kind, currency, sum(amount_micros) AS total FROM f
             WHERE (kind = 'order' AND status = 'placed') OR (kind = 'opportunity' AND status = 'open')
             GROUP BY customer_id, kind, currency) sums
     GROUP BY customer_id)
  UPDATE customer_profiles p
     SET revenue = COALESCE(a.revenue, '{}'), orders_count = g.orders_count, last_order_at = g.last_order_at,
         open_opportunities_count = g.open_opportunities_count, open_opportunities_amount = COALESCE(a.pipeline, '{}'),
         open_tickets_count = g.open_tickets_count, last_contact_at = g.last_contact_at,
         csat_sum = g.csat_sum, csat_count = g.csat_count, updated_at = now()
    FROM figures g LEFT JOIN amounts a ON a.customer_id = g.customer_id
   WHERE p.tenant_id = $1 AND p.customer_id = g.customer_id
  RETURNING p.customer_id, p.orders_count, p.last_order_at`;

/**
 * Moves rows of `table` to the customer they count for now: from merged customers to their survivor
 * (following chains: C merged into B merged into A counts for A), and back to a restored customer after
 * an undo. Only rows of the given customers (by where they count or whom they name) are looked at.
 */
function followMergesSql(table: 'customer_profile_facts' | 'customer_timeline'): string {
  return `
    WITH RECURSIVE starts AS (
      SELECT DISTINCT event_customer_id AS id FROM ${table}
       WHERE tenant_id = $1 AND (customer_id = ANY($2::uuid[]) OR (event_customer_id = ANY($2::uuid[]) AND event_customer_id <> customer_id))
    ), walk (start_id, id, depth) AS (
      SELECT id, id, 0 FROM starts
      UNION ALL
      SELECT w.start_id, c.merged_into_id, w.depth + 1
        FROM walk w JOIN customers c ON c.id = w.id
       WHERE c.tenant_id = $1 AND c.merged_into_id IS NOT NULL AND w.depth < ${MAX_MERGE_DEPTH}
    ), survivors AS (
      SELECT DISTINCT ON (start_id) start_id, id FROM walk ORDER BY start_id, depth DESC
    )
    UPDATE ${table} t SET customer_id = s.id
      FROM survivors s
     WHERE t.tenant_id = $1 AND t.event_customer_id = s.start_id AND t.customer_id <> s.id
       AND (t.customer_id = ANY($2::uuid[]) OR t.event_customer_id = ANY($2::uuid[]))
    RETURNING t.customer_id`;
}

/**
 * Facts and summaries in plain SQL (set-based, leakproof conditions only, so row-level security costs
 * no index), the profile read through the query builder. Every statement filters by tenant as well.
 */
@Injectable()
export class ProfileRepository extends TenantScopedRepository<CustomerProfileEntity> {
  constructor() {
    super(CustomerProfileEntity);
  }

  /**
   * A live customer the scope allows the caller to see, with its summary: one statement, the customer
   * by primary key and the summary by primary key (`customers LEFT JOIN customer_profiles`).
   */
  async findInScope(manager: EntityManager, id: string, scope: OwnershipScope): Promise<CustomerWithProfile | null> {
    const qb = manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .leftJoinAndMapOne('c.profile', CustomerProfileEntity, 'p', 'p.customerId = c.id AND p.tenantId = c.tenantId')
      .where('c.tenantId = :tenantId', { tenantId: requireTenantId() })
      .andWhere('c.deletedAt IS NULL')
      .andWhere('c.id = :id', { id });
    applyOwnershipScope(qb, { ownerColumn: 'c.ownerId', teamMembersSql, scope });
    const customer = (await qb.getOne()) as (CustomerEntity & { profile?: CustomerProfileEntity }) | null;
    return customer ? Object.assign(customer, { profile: customer.profile ?? null }) : null;
  }

  /**
   * Locks the summaries of these customers (creating empty ones), in id order: writers of one
   * customer's summary take turns, so each recomputation sees the facts of the ones before.
   */
  async lock(manager: EntityManager, tenantId: string, customerIds: readonly string[]): Promise<void> {
    const ids = [...new Set(customerIds)].sort();
    if (ids.length === 0) return;
    await manager.query(`INSERT INTO customer_profiles (customer_id, tenant_id) SELECT unnest($2::uuid[]), $1 ON CONFLICT (customer_id) DO NOTHING`, [tenantId, ids]);
    await manager.query(`SELECT customer_id FROM customer_profiles WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY customer_id FOR UPDATE`, [tenantId, ids]);
  }

  /**
   * Stores the fact unless the same or a newer version of it is stored. Returns whether it did, the
   * customer the fact counted for before (when it existed), and whether the stored version is this
   * very one (the same state told again).
   */
  async upsertFact(
    manager: EntityManager,
    tenantId: string,
    customerId: string,
    eventCustomerId: string,
    fact: ProfileFact,
  ): Promise<{ applied: boolean; previousCustomerId: string | null; repeated: boolean }> {
    const rows: Array<{ previous_customer_id: string | null }> = await manager.query(
      `WITH previous AS (
         SELECT customer_id FROM customer_profile_facts WHERE tenant_id = $1 AND kind = $2 AND ref_id = $3 FOR UPDATE
       )
       INSERT INTO customer_profile_facts (tenant_id, kind, ref_id, customer_id, event_customer_id, status, amount_micros, currency, score, occurred_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, kind, ref_id) DO UPDATE
         SET customer_id = EXCLUDED.customer_id, event_customer_id = EXCLUDED.event_customer_id, status = EXCLUDED.status,
             amount_micros = EXCLUDED.amount_micros, currency = EXCLUDED.currency, score = EXCLUDED.score,
             occurred_at = EXCLUDED.occurred_at, version = EXCLUDED.version
         WHERE customer_profile_facts.version < EXCLUDED.version
       RETURNING (SELECT customer_id FROM previous) AS previous_customer_id`,
      [
        tenantId,
        fact.kind,
        fact.refId,
        customerId,
        eventCustomerId,
        fact.status,
        fact.amountMicros?.toString() ?? null,
        fact.currency,
        fact.score,
        fact.occurredAt,
        fact.version.toString(),
      ],
    );
    if (rows.length > 0) return { applied: true, previousCustomerId: rows[0].previous_customer_id, repeated: false };
    const [stored]: Array<{ version: string }> = await manager.query(`SELECT version FROM customer_profile_facts WHERE tenant_id = $1 AND kind = $2 AND ref_id = $3`, [
      tenantId,
      fact.kind,
      fact.refId,
    ]);
    return { applied: false, previousCustomerId: null, repeated: stored !== undefined && BigInt(stored.version) === fact.version };
  }

  /** Recomputes the summaries of these customers (locked) from their facts; their order figures after. */
  async recompute(manager: EntityManager, tenantId: string, customerIds: readonly string[]): Promise<Map<string, OrderFigures>> {
    if (customerIds.length === 0) return new Map();
    const rows = returned<{ customer_id: string; orders_count: number; last_order_at: Date | null }>(
      await manager.query(RECOMPUTE_SQL, [tenantId, [...new Set(customerIds)], [...OPEN_TICKET_STATUSES]]),
    );
    return new Map(rows.map((row) => [row.customer_id, { ordersCount: row.orders_count, lastOrderAt: row.last_order_at }]));
  }

  /** Stores the scores unless newer ones are stored; whether it did. The summary row is locked. */
  async applyScores(manager: EntityManager, tenantId: string, customerId: string, scores: ProfileScores): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE customer_profiles
          SET rfm_recency = $3, rfm_frequency = $4, rfm_monetary = $5, rfm_segment = $6, clv_historic_micros = $7, clv_predicted_micros = $8,
              clv_currency = $9, churn_probability = $10, churn_band = $11, value_tier = $12, vip = $13, scores_computed_at = $14, updated_at = now()
        WHERE tenant_id = $1 AND customer_id = $2 AND (scores_computed_at IS NULL OR scores_computed_at < $14)
       RETURNING customer_id`,
      [
        tenantId,
        customerId,
        scores.rfm?.recency ?? null,
        scores.rfm?.frequency ?? null,
        scores.rfm?.monetary ?? null,
        scores.rfm?.segment || null,
        scores.clvHistoricMicros.toString(),
        scores.clvPredictedMicros.toString(),
        scores.currency,
        scores.churnProbability,
        scores.churnBand,
        scores.valueTier,
        scores.vip,
        scores.computedAt,
      ],
    );
    return returned(result).length > 0;
  }

  /** A person set the stage of these customers by hand at `at` (the sweep counts from then). */
  async pinStage(manager: EntityManager, tenantId: string, customerIds: readonly string[], at: Date): Promise<void> {
    if (customerIds.length === 0) return;
    await manager.query(
      `INSERT INTO customer_profiles (customer_id, tenant_id, stage_pinned_at) SELECT unnest($2::uuid[]), $1, $3
       ON CONFLICT (customer_id) DO UPDATE SET stage_pinned_at = EXCLUDED.stage_pinned_at`,
      [tenantId, [...new Set(customerIds)].sort(), at],
    );
  }

  /**
   * After a merge or its undo among `customerIds`: facts and timeline entries move to the customer they
   * count for now, and the summaries of everyone involved are recomputed.
   */
  async followMerges(manager: EntityManager, tenantId: string, customerIds: readonly string[]): Promise<void> {
    await this.lock(manager, tenantId, customerIds);
    const moved = returned<{ customer_id: string }>(await manager.query(followMergesSql('customer_profile_facts'), [tenantId, [...customerIds]]));
    await manager.query(followMergesSql('customer_timeline'), [tenantId, [...customerIds]]);
    const affected = [...new Set([...customerIds, ...moved.map((row) => row.customer_id)])];
    await this.lock(manager, tenantId, affected);
    await this.recompute(manager, tenantId, affected);
  }

  /** The summary of one customer, for a privacy export. */
  findOne(manager: EntityManager, tenantId: string, customerId: string): Promise<CustomerProfileEntity | null> {
    return this.repository(manager).findOne({ where: { tenantId, customerId } });
  }
}

/** The rows an UPDATE ... RETURNING gave back: the driver answers UPDATE and DELETE with [rows, count]. */
function returned<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
