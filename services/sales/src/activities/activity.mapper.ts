import { create } from '@bufbuild/protobuf';
import { ActivityLoggedSchema, type ActivityLogged } from '@crm/contracts';
import type { ActivityRow } from './activities.repository';
import type { ActivityDto } from './dto/activity.dto';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toActivityDto(row: ActivityRow): ActivityDto {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    notes: row.notes,
    direction: row.direction,
    outcome: row.outcome,
    durationSeconds: row.duration_seconds,
    status: row.status,
    dueAt: iso(row.due_at),
    occurredAt: iso(row.occurred_at),
    completedAt: iso(row.completed_at),
    ownerId: row.owner_id,
    leadId: row.lead_id,
    opportunityId: row.opportunity_id,
    customerId: row.customer_id,
    contractId: row.contract_id,
    orderId: row.order_id,
    origin: row.origin,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * ActivityLogged for a logged activity, or for a task when it is completed (kind task, occurred and
 * logged at its completion).
 */
export function toActivityLogged(row: ActivityRow): ActivityLogged {
  const occurredAt = row.kind === 'task' ? (row.completed_at ?? row.updated_at) : (row.occurred_at ?? row.created_at);
  const loggedAt = row.kind === 'task' ? (row.completed_at ?? row.updated_at) : row.created_at;
  return create(ActivityLoggedSchema, {
    tenantId: row.tenant_id,
    activityId: row.id,
    kind: row.kind,
    direction: row.direction ?? '',
    customerId: row.customer_id ?? '',
    leadId: row.lead_id ?? '',
    opportunityId: row.opportunity_id ?? '',
    subject: row.subject,
    notes: row.notes ?? '',
    outcome: row.outcome ?? '',
    durationSeconds: row.duration_seconds ?? 0,
    ownerId: row.owner_id,
    occurredAt: occurredAt.toISOString(),
    loggedAt: loggedAt.toISOString(),
  });
}
