import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { fetchPage, type Page } from '@crm/platform/api';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { teamMembersSql } from '../users/users.repository';
import { OpportunityEntity, type OpportunityStatus } from './opportunity.entity';

export interface OpportunityFilter {
  ownerId?: string;
  customerId?: string;
  pipelineId?: string;
  stage?: string;
  status?: OpportunityStatus;
  leadId?: string;
}

/** One stay of an opportunity in a stage, as the history shows it. */
export interface StageStay {
  id: string;
  fromStage: string | null;
  stage: string;
  enteredAt: Date;
  enteredBy: string | null;
  leftAt: Date | null;
  daysInStage: number | null;
}

/** A stage move to record: the stay in the current stage ends at `at`, one in `stage` begins. */
export interface StageEntry {
  tenantId: string;
  opportunityId: string;
  pipelineId: string;
  openedAt: Date;
  fromStage: string | null;
  stage: string;
  kind: 'open' | 'won' | 'lost';
  at: Date;
  by: string | null;
  /** Open stages placed before `stage` in the pipeline: entering `stage` means those advanced. */
  earlierStages: readonly string[];
}

@Injectable()
export class OpportunitiesRepository extends TenantScopedRepository<OpportunityEntity> {
  constructor() {
    super(OpportunityEntity);
  }

  private scopedQuery(manager: EntityManager, scope: OwnershipScope): SelectQueryBuilder<OpportunityEntity> {
    return applyOwnershipScope(this.query(manager, 'o'), { ownerColumn: 'o.ownerId', teamMembersSql, scope });
  }

  findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<OpportunityEntity | null> {
    const qb = this.scopedQuery(manager, scope).andWhere('o.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Newest first; each filter leads one of the (tenant, x, created_at, id) indexes. */
  page(manager: EntityManager, filter: OpportunityFilter, scope: OwnershipScope, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<OpportunityEntity>> {
    const qb = this.scopedQuery(manager, scope);
    if (filter.ownerId) qb.andWhere('o.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.customerId) qb.andWhere('o.customerId = :customerId', { customerId: filter.customerId });
    if (filter.pipelineId) qb.andWhere('o.pipelineId = :pipelineId', { pipelineId: filter.pipelineId });
    if (filter.stage) qb.andWhere('o.stage = :stage', { stage: filter.stage });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.leadId) qb.andWhere('o.leadId = :leadId', { leadId: filter.leadId });
    return fetchPage(qb, { timeColumn: 'o.createdAt', idColumn: 'o.id', direction: 'DESC', ...paging }, (row) => ({ at: row.createdAt, id: row.id }));
  }

  create(manager: EntityManager, values: Omit<OpportunityEntity, 'tenantId'>): OpportunityEntity {
    return this.createScoped(manager, values);
  }

  async insert(manager: EntityManager, opportunity: OpportunityEntity): Promise<void> {
    await this.repository(manager).insert(opportunity);
  }

  save(manager: EntityManager, opportunity: OpportunityEntity): Promise<OpportunityEntity> {
    return this.saveScoped(manager, opportunity);
  }

  /**
   * Records a stage move in the history and the per-stage reach: the open stay (if any) ends at `at` and
   * its time is added to its stage; a stay in `stage` begins. Entering an open stage marks the earlier
   * open stages as advanced; winning marks every stage it went through as advanced.
   */
  async recordEntry(manager: EntityManager, entry: StageEntry): Promise<void> {
    // One statement: end the open stay and add its time to its stage's reach row.
    await manager.query(
      `WITH ended AS (
         UPDATE opportunity_stage_history
            SET left_at = $3, days_in_stage = round((extract(epoch FROM ($3::timestamptz - entered_at)) / 86400)::numeric, 3)
          WHERE tenant_id = $1 AND opportunity_id = $2 AND left_at IS NULL
          RETURNING stage, floor(extract(epoch FROM ($3::timestamptz - entered_at)) * 1000)::bigint AS ms
       )
       UPDATE opportunity_stage_reach r SET stays_finished = r.stays_finished + 1, finished_ms = r.finished_ms + ended.ms
         FROM ended WHERE r.opportunity_id = $2 AND r.stage = ended.stage`,
      [entry.tenantId, entry.opportunityId, entry.at],
    );
    await manager.query(
      `INSERT INTO opportunity_stage_history (id, tenant_id, opportunity_id, pipeline_id, from_stage, stage, entered_at, entered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [randomUUID(), entry.tenantId, entry.opportunityId, entry.pipelineId, entry.fromStage, entry.stage, entry.at, entry.by],
    );
    if (entry.kind === 'open') {
      await manager.query(
        `INSERT INTO opportunity_stage_reach (opportunity_id, stage, tenant_id, pipeline_id, opened_at, first_entered_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (opportunity_id, stage) DO NOTHING`,
        [entry.opportunityId, entry.stage, entry.tenantId, entry.pipelineId, entry.openedAt, entry.at],
      );
      if (entry.earlierStages.length > 0) {
        await manager.query(`UPDATE opportunity_stage_reach SET advanced = true WHERE opportunity_id = $1 AND stage = ANY($2::text[]) AND NOT advanced`, [
          entry.opportunityId,
          [...entry.earlierStages],
        ]);
      }
    } else if (entry.kind === 'won') {
      await manager.query(`UPDATE opportunity_stage_reach SET advanced = true WHERE opportunity_id = $1 AND NOT advanced`, [entry.opportunityId]);
    }
  }

  /** The stays of one opportunity, oldest first. */
  async history(manager: EntityManager, opportunityId: string): Promise<StageStay[]> {
    const rows: Array<{ id: string; from_stage: string | null; stage: string; entered_at: Date; entered_by: string | null; left_at: Date | null; days_in_stage: string | null }> =
      await manager.query(`SELECT * FROM opportunity_stage_history WHERE tenant_id = $1 AND opportunity_id = $2 ORDER BY seq`, [requireTenantId(), opportunityId]);
    return rows.map((row) => ({
      id: row.id,
      fromStage: row.from_stage,
      stage: row.stage,
      enteredAt: row.entered_at,
      enteredBy: row.entered_by,
      leftAt: row.left_at,
      daysInStage: row.days_in_stage === null ? null : Number(row.days_in_stage),
    }));
  }
}
