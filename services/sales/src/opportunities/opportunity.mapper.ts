import { toMoney } from '@crm/platform/api';
import type { PipelineStage } from '../pipelines/pipeline.model';
import type { OpportunityDto, StageHistoryEntryDto } from './dto/opportunity.dto';
import type { OpportunityEntity } from './opportunity.entity';
import type { StageStay } from './opportunities.repository';

/** `stage` is the opportunity's current stage in its pipeline (undefined only if the pipeline lost it, which updates prevent). */
export function toOpportunityDto(opportunity: OpportunityEntity, stage: PipelineStage | undefined): OpportunityDto {
  const probability = stage?.probability ?? 0;
  const amount = BigInt(opportunity.amountMicros);
  return {
    id: opportunity.id,
    name: opportunity.name,
    customerId: opportunity.customerId,
    ownerId: opportunity.ownerId,
    pipelineId: opportunity.pipelineId,
    stage: opportunity.stage,
    stageName: stage?.name ?? opportunity.stage,
    probability,
    status: opportunity.status,
    amount: toMoney(amount, opportunity.currency),
    weightedAmount: toMoney((amount * BigInt(probability)) / 100n, opportunity.currency),
    expectedCloseDate: opportunity.expectedCloseDate,
    lineItems: opportunity.lineItems.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      quantity: Number(line.quantity),
      unitPrice: toMoney(line.unitPriceMicros, opportunity.currency),
      discount: toMoney(line.discountMicros, opportunity.currency),
      total: toMoney(line.totalMicros, opportunity.currency),
    })),
    leadId: opportunity.leadId,
    partnerId: opportunity.partnerId,
    lostReason: opportunity.lostReason,
    competitor: opportunity.competitor,
    stageEnteredAt: opportunity.stageEnteredAt.toISOString(),
    openedAt: opportunity.openedAt.toISOString(),
    closedAt: opportunity.closedAt?.toISOString() ?? null,
    createdAt: opportunity.createdAt.toISOString(),
    updatedAt: opportunity.updatedAt.toISOString(),
    version: opportunity.version,
  };
}

/** Stays as transitions: each entry says from where, to where, when, by whom and how long the previous stay lasted. */
export function toStageHistory(stays: readonly StageStay[], now: Date): StageHistoryEntryDto[] {
  return stays.map((stay, index) => {
    const previous = index > 0 ? stays[index - 1] : undefined;
    const closing = stay.stage === 'won' || stay.stage === 'lost';
    return {
      fromStage: stay.fromStage,
      toStage: stay.stage,
      at: stay.enteredAt.toISOString(),
      by: stay.enteredBy,
      daysInFromStage: previous?.daysInStage ?? null,
      daysInStage: stay.daysInStage ?? (closing ? null : Math.round(((now.getTime() - stay.enteredAt.getTime()) / 86_400_000) * 1000) / 1000),
    };
  });
}
