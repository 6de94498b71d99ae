import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { firstOpenStage, type Pipeline } from '../pipelines/pipeline.model';
import { PipelinesRepository } from '../pipelines/pipelines.repository';
import { PipelineNotFoundError } from '../pipelines/pipeline.errors';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunityEvents } from './opportunity-events';
import type { OpportunityEntity, OpportunityLineItem } from './opportunity.entity';

/** What other parts of the service (lead conversion) open an opportunity with. */
export interface OpenOpportunity {
  tenantId: string;
  name: string;
  customerId: string;
  ownerId: string;
  leadId?: string | null;
  /** The tenant's default pipeline when absent (created on first use). */
  pipelineId?: string | null;
  amountMicros?: bigint;
  /** Default 'CNY'. */
  currency?: string;
  /** YYYY-MM-DD. */
  expectedCloseDate?: string | null;
  openedBy: string | null;
}

/** Everything the API may open an opportunity with, on top of OpenOpportunity. */
export interface OpenOpportunityDetails extends OpenOpportunity {
  partnerId?: string | null;
  lineItems?: OpportunityLineItem[];
  /** Opened in this stage instead of the first one (must be an open stage of the pipeline). */
  stage?: string | null;
  at?: Date;
}

/**
 * Opens opportunities, in the caller's transaction (whose tenant must be `input.tenantId`): the row in
 * the first open stage of the pipeline (the default pipeline unless one is named), the first stay of its
 * stage history, and OpportunityOpened. The caller has checked the customer and the owner.
 */
@Injectable()
export class OpportunityOpener {
  constructor(
    private readonly pipelines: PipelinesRepository,
    private readonly opportunities: OpportunitiesRepository,
    private readonly events: OpportunityEvents,
  ) {}

  async open(manager: EntityManager, input: OpenOpportunity): Promise<{ id: string }> {
    const opportunity = await this.openWithDetails(manager, input);
    return { id: opportunity.id };
  }

  /** The pipeline an opportunity opens in: the named one, else the tenant's default (created when missing). */
  async pipelineFor(manager: EntityManager, pipelineId: string | null | undefined): Promise<Pipeline> {
    if (!pipelineId) return this.pipelines.ensureDefault(manager);
    const pipeline = await this.pipelines.findById(manager, pipelineId);
    if (!pipeline) throw new PipelineNotFoundError(pipelineId);
    return pipeline;
  }

  async openWithDetails(manager: EntityManager, input: OpenOpportunityDetails, knownPipeline?: Pipeline): Promise<OpportunityEntity> {
    const pipeline = knownPipeline ?? (await this.pipelineFor(manager, input.pipelineId));
    const stage = (input.stage && pipeline.stages.find((candidate) => candidate.key === input.stage && candidate.kind === 'open')) || firstOpenStage(pipeline);
    const at = input.at ?? new Date();
    const opportunity = this.opportunities.create(manager, {
      id: randomUUID(),
      name: input.name,
      customerId: input.customerId,
      ownerId: input.ownerId,
      pipelineId: pipeline.id,
      stage: stage.key,
      status: 'open',
      amountMicros: (input.amountMicros ?? 0n).toString(),
      currency: input.currency ?? 'CNY',
      expectedCloseDate: input.expectedCloseDate ?? null,
      lineItems: input.lineItems ?? [],
      leadId: input.leadId ?? null,
      partnerId: input.partnerId ?? null,
      lostReason: null,
      competitor: null,
      stageEnteredAt: at,
      lastTouchedAt: at,
      openedAt: at,
      closedAt: null,
      createdBy: input.openedBy,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    if (opportunity.tenantId !== input.tenantId) throw new Error(`opening an opportunity of tenant ${input.tenantId} in a transaction of tenant ${opportunity.tenantId}`);
    await this.opportunities.insert(manager, opportunity);
    await this.opportunities.recordEntry(manager, {
      tenantId: opportunity.tenantId,
      opportunityId: opportunity.id,
      pipelineId: pipeline.id,
      openedAt: at,
      fromStage: null,
      stage: stage.key,
      kind: 'open',
      at,
      by: input.openedBy,
      earlierStages: pipeline.stages.filter((other) => other.kind === 'open' && other.position < stage.position).map((other) => other.key),
    });
    await this.events.opened(manager, opportunity, stage);
    return opportunity;
  }
}
