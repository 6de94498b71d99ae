import type { PlanDto, PlanItemDto } from './dto/plan.dto';
import { completionPercent, lastDayOf } from './plan-period';
import type { PlanItemRow, PlanRow } from './plans.repository';

export function toPlanItemDto(row: PlanItemRow): PlanItemDto {
  return {
    id: row.id,
    position: row.position,
    title: row.title,
    kind: row.kind,
    targetCount: row.target_count,
    doneCount: row.done_count,
    done: row.done_count >= row.target_count,
    countActivities: row.count_activities,
    leadId: row.lead_id,
    opportunityId: row.opportunity_id,
    customerId: row.customer_id,
  };
}

export function toPlanDto(plan: PlanRow, items: readonly PlanItemRow[]): PlanDto {
  const itemDtos = items.map(toPlanItemDto);
  return {
    id: plan.id,
    ownerId: plan.owner_id,
    periodType: plan.period_type,
    periodStart: plan.period_start,
    periodEnd: lastDayOf(plan.period_end),
    notes: plan.notes,
    items: itemDtos,
    completion: completionPercent(itemDtos),
    version: plan.version,
    createdBy: plan.created_by,
    createdAt: plan.created_at.toISOString(),
    updatedAt: plan.updated_at.toISOString(),
  };
}
