import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  OpportunityLostEvent,
  OpportunityLostSchema,
  OpportunityOpenedEvent,
  OpportunityOpenedSchema,
  OpportunityOwnerChangedEvent,
  OpportunityOwnerChangedSchema,
  OpportunityRottingEvent,
  OpportunityRottingSchema,
  OpportunityStageChangedEvent,
  OpportunityStageChangedSchema,
  OpportunityWonEvent,
  OpportunityWonSchema,
} from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import type { PipelineStage } from '../pipelines/pipeline.model';
import type { OpportunityEntity } from './opportunity.entity';

/** A rotting opportunity as the scan found it. */
export interface RottingFinding {
  stage: string;
  stageName: string;
  rottingDays: number;
  idleSince: Date;
  idleDays: number;
  taskId: string;
  detectedAt: Date;
}

/**
 * Publishes sales.opportunity.v1 through the outbox, in the transaction of the change, keyed by the
 * opportunity id. Every event carries the opportunity's version after the change.
 */
@Injectable()
export class OpportunityEvents {
  constructor(private readonly eventBus: EventBus) {}

  async opened(manager: EntityManager, opportunity: OpportunityEntity, stage: PipelineStage): Promise<void> {
    await this.eventBus.publish(
      manager,
      OpportunityOpenedEvent,
      create(OpportunityOpenedSchema, {
        tenantId: opportunity.tenantId,
        opportunityId: opportunity.id,
        customerId: opportunity.customerId,
        leadId: opportunity.leadId ?? '',
        name: opportunity.name,
        pipelineId: opportunity.pipelineId,
        stage: stage.key,
        stageName: stage.name,
        probabilityPercent: stage.probability,
        amountMicros: BigInt(opportunity.amountMicros),
        currency: opportunity.currency,
        expectedCloseDate: opportunity.expectedCloseDate ?? '',
        ownerId: opportunity.ownerId,
        openedAt: opportunity.openedAt.toISOString(),
        version: BigInt(opportunity.version),
      }),
      this.options(opportunity),
    );
  }

  /** A new owner, by an edit or a handover (`handoverId`). */
  async ownerChanged(
    manager: EntityManager,
    changes: ReadonlyArray<{ tenantId: string; id: string; customerId: string; previousOwnerId: string; ownerId: string; version: number }>,
    changedBy: string | null,
    at: Date,
    handoverId = '',
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.eventBus.publishMany(
      manager,
      OpportunityOwnerChangedEvent,
      changes.map((change) => ({
        message: create(OpportunityOwnerChangedSchema, {
          tenantId: change.tenantId,
          opportunityId: change.id,
          customerId: change.customerId,
          previousOwnerId: change.previousOwnerId,
          ownerId: change.ownerId,
          changedBy: changedBy ?? '',
          handoverId,
          changedAt: at.toISOString(),
          version: BigInt(change.version),
        }),
        subject: change.id,
        tenantId: change.tenantId,
      })),
    );
  }

  async stageChanged(manager: EntityManager, opportunity: OpportunityEntity, previousStage: string, stage: PipelineStage, changedBy: string | null, at: Date): Promise<void> {
    await this.eventBus.publish(
      manager,
      OpportunityStageChangedEvent,
      create(OpportunityStageChangedSchema, {
        tenantId: opportunity.tenantId,
        opportunityId: opportunity.id,
        customerId: opportunity.customerId,
        name: opportunity.name,
        pipelineId: opportunity.pipelineId,
        previousStage,
        stage: stage.key,
        stageName: stage.name,
        probabilityPercent: stage.probability,
        amountMicros: BigInt(opportunity.amountMicros),
        currency: opportunity.currency,
        expectedCloseDate: opportunity.expectedCloseDate ?? '',
        ownerId: opportunity.ownerId,
        changedBy: changedBy ?? '',
        changedAt: at.toISOString(),
        version: BigInt(opportunity.version),
      }),
      this.options(opportunity),
    );
  }

  async won(manager: EntityManager, opportunity: OpportunityEntity, previousStage: string, changedBy: string | null, at: Date): Promise<void> {
    await this.eventBus.publish(
      manager,
      OpportunityWonEvent,
      create(OpportunityWonSchema, {
        tenantId: opportunity.tenantId,
        opportunityId: opportunity.id,
        customerId: opportunity.customerId,
        name: opportunity.name,
        pipelineId: opportunity.pipelineId,
        previousStage,
        amountMicros: BigInt(opportunity.amountMicros),
        currency: opportunity.currency,
        // Orders are drafted from the Won event (automation), so there is none yet when it is emitted.
        orderId: '',
        ownerId: opportunity.ownerId,
        changedBy: changedBy ?? '',
        wonAt: at.toISOString(),
        version: BigInt(opportunity.version),
      }),
      this.options(opportunity),
    );
  }

  async lost(manager: EntityManager, opportunity: OpportunityEntity, previousStage: string, changedBy: string | null, at: Date): Promise<void> {
    await this.eventBus.publish(
      manager,
      OpportunityLostEvent,
      create(OpportunityLostSchema, {
        tenantId: opportunity.tenantId,
        opportunityId: opportunity.id,
        customerId: opportunity.customerId,
        name: opportunity.name,
        pipelineId: opportunity.pipelineId,
        previousStage,
        amountMicros: BigInt(opportunity.amountMicros),
        currency: opportunity.currency,
        reason: opportunity.lostReason ?? '',
        competitor: opportunity.competitor ?? '',
        ownerId: opportunity.ownerId,
        changedBy: changedBy ?? '',
        lostAt: at.toISOString(),
        version: BigInt(opportunity.version),
      }),
      this.options(opportunity),
    );
  }

  async rotting(manager: EntityManager, opportunity: RottingOpportunity, finding: RottingFinding): Promise<void> {
    await this.eventBus.publish(
      manager,
      OpportunityRottingEvent,
      create(OpportunityRottingSchema, {
        tenantId: opportunity.tenantId,
        opportunityId: opportunity.id,
        customerId: opportunity.customerId,
        name: opportunity.name,
        pipelineId: opportunity.pipelineId,
        stage: finding.stage,
        stageName: finding.stageName,
        rottingDays: finding.rottingDays,
        idleSince: finding.idleSince.toISOString(),
        idleDays: finding.idleDays,
        amountMicros: BigInt(opportunity.amountMicros),
        currency: opportunity.currency,
        ownerId: opportunity.ownerId,
        taskId: finding.taskId,
        detectedAt: finding.detectedAt.toISOString(),
        version: BigInt(opportunity.version),
      }),
      this.options(opportunity),
    );
  }

  private options(opportunity: { id: string; tenantId: string }): { subject: string; tenantId: string } {
    return { subject: opportunity.id, tenantId: opportunity.tenantId };
  }
}

/** The fields of an opportunity the rotting event needs. */
export type RottingOpportunity = Pick<OpportunityEntity, 'id' | 'tenantId' | 'customerId' | 'name' | 'pipelineId' | 'amountMicros' | 'currency' | 'ownerId' | 'version'>;
