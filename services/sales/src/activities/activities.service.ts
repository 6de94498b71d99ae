import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ActivityLoggedEvent } from '@crm/contracts';
import { ownershipScope, principal, type OwnershipScope } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { EventBus } from '@crm/platform/messaging';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { UsersRepository } from '../users/users.repository';
import { ActivitiesRepository, type ActivityRow } from './activities.repository';
import { DIRECTED_KINDS, type ActivityKind } from './activity-kinds';
import { ActivityLinkNotFoundError, ActivityNotFoundError, ActivityNotOpenError, ActivityOwnerNotAssignableError, InvalidActivityError } from './activity.errors';
import { toActivityDto, toActivityLogged } from './activity.mapper';
import type { ActivityDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';
import { RecordLinkChecker } from './record-links';
import { userInScope } from './work-sql';

/** How far in the future an activity may say it happened (clock skew of the rep's device). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Activities and tasks. Logging a call, meeting, visit, e-mail, WeChat message, SMS or note records
 * something that happened (status done) and emits ActivityLogged; a task is open until it is completed
 * (status done, completedAt, ActivityLogged with kind task) or cancelled.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly activities: ActivitiesRepository,
    private readonly users: UsersRepository,
    private readonly links: RecordLinkChecker,
    private readonly eventBus: EventBus,
  ) {}

  list(query: ListActivitiesQueryDto): Promise<Page<ActivityDto>> {
    const scope = ownershipScope();
    const { kind, status, ownerId, leadId, opportunityId, customerId, dueBefore, limit, cursor, total } = query;
    return this.transactions.run(async (manager) => {
      const page = await this.activities.page(manager, { kind, status, ownerId, leadId, opportunityId, customerId, dueBefore: dueBefore ? new Date(dueBefore) : undefined }, scope, {
        limit,
        cursor,
        total,
      });
      return mapPage(page, toActivityDto);
    });
  }

  get(id: string): Promise<ActivityDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => toActivityDto(await this.findOrFail(manager, id, scope)));
  }

  create(input: CreateActivityDto): Promise<ActivityDto> {
    const caller = principal();
    const scope = ownershipScope();
    const now = new Date();
    const isTask = input.kind === 'task';
    const problems = fieldProblems(input.kind, input, now);
    if (problems.length > 0) throw new InvalidActivityError(problems);
    return this.transactions.run(async (manager) => {
      const ownerId = (input.ownerId ?? caller.userId).toLowerCase();
      await this.assertAssignable(manager, scope, caller.tenantId, ownerId);
      await this.assertLinks(manager, input);
      const row = await this.activities.insert(manager, {
        id: randomUUID(),
        kind: input.kind,
        subject: input.subject.trim(),
        notes: input.notes ?? null,
        direction: input.direction ?? null,
        outcome: input.outcome ?? null,
        duration_seconds: input.durationSeconds ?? null,
        status: isTask ? 'open' : 'done',
        due_at: isTask && input.dueAt ? new Date(input.dueAt) : null,
        occurred_at: isTask ? null : input.occurredAt ? new Date(input.occurredAt) : now,
        completed_at: null,
        owner_id: ownerId,
        lead_id: input.leadId ?? null,
        opportunity_id: input.opportunityId ?? null,
        customer_id: input.customerId ?? null,
        contract_id: input.contractId ?? null,
        order_id: input.orderId ?? null,
        origin: 'manual',
        created_by: caller.userId,
      });
      if (!isTask) await this.publishLogged(manager, row);
      return toActivityDto(row);
    });
  }

  update(id: string, input: UpdateActivityDto, expectedVersion: number | undefined): Promise<ActivityDto> {
    const caller = principal();
    const scope = ownershipScope();
    const now = new Date();
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, row.version);
      const kind = row.kind as ActivityKind;
      const problems = fieldProblems(kind, input, now);
      if (input.status !== undefined && kind !== 'task') problems.push({ field: 'status', message: 'only tasks are completed or cancelled; a logged activity is done already' });
      if (problems.length > 0) throw new InvalidActivityError(problems);
      const changesTaskState = input.status !== undefined || input.dueAt !== undefined;
      if (kind === 'task' && changesTaskState && row.status !== 'open') throw new ActivityNotOpenError(row.id, row.status);

      const next: ActivityRow = { ...row };
      if (input.subject !== undefined) next.subject = input.subject.trim();
      if (input.notes !== undefined) next.notes = input.notes;
      if (input.direction !== undefined) next.direction = input.direction;
      if (input.outcome !== undefined) next.outcome = input.outcome;
      if (input.durationSeconds !== undefined) next.duration_seconds = input.durationSeconds;
      if (input.occurredAt !== undefined) next.occurred_at = input.occurredAt ? new Date(input.occurredAt) : kind === 'task' ? null : row.occurred_at;
      if (input.dueAt !== undefined) next.due_at = input.dueAt ? new Date(input.dueAt) : null;
      for (const field of ['leadId', 'opportunityId', 'customerId', 'contractId', 'orderId'] as const) {
        if (input[field] !== undefined) next[COLUMN_OF[field]] = input[field] ?? null;
      }
      if (input.ownerId !== undefined && input.ownerId.toLowerCase() !== row.owner_id) {
        next.owner_id = input.ownerId.toLowerCase();
        await this.assertAssignable(manager, scope, caller.tenantId, next.owner_id);
      }
      await this.assertLinks(manager, {
        customerId: input.customerId !== undefined ? input.customerId : undefined,
        leadId: input.leadId !== undefined ? input.leadId : undefined,
        opportunityId: input.opportunityId !== undefined ? input.opportunityId : undefined,
        contractId: input.contractId !== undefined ? input.contractId : undefined,
        orderId: input.orderId !== undefined ? input.orderId : undefined,
      });
      const completing = kind === 'task' && input.status === 'done';
      if (input.status !== undefined) {
        next.status = input.status;
        if (completing) next.completed_at = now;
      }
      const saved = await this.activities.update(manager, next);
      if (completing) await this.publishLogged(manager, saved);
      return toActivityDto(saved);
    });
  }

  private async publishLogged(manager: EntityManager, row: ActivityRow): Promise<void> {
    await this.eventBus.publish(manager, ActivityLoggedEvent, toActivityLogged(row), { subject: row.id, tenantId: row.tenant_id });
  }

  private async assertAssignable(manager: EntityManager, scope: OwnershipScope, tenantId: string, ownerId: string): Promise<void> {
    const active = await this.users.activeIds(manager, [ownerId]);
    if (!active.has(ownerId) || !(await userInScope(manager, scope, tenantId, ownerId))) throw new ActivityOwnerNotAssignableError(ownerId);
  }

  private async assertLinks(manager: EntityManager, links: Parameters<RecordLinkChecker['firstMissing']>[1]): Promise<void> {
    const missing = await this.links.firstMissing(manager, links);
    if (missing) throw new ActivityLinkNotFoundError(missing[0], missing[1]);
  }

  private async findOrFail(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<ActivityRow> {
    const row = isUuid(id) ? await this.activities.findInScope(manager, id.toLowerCase(), scope, options) : null;
    if (!row) throw new ActivityNotFoundError(id);
    return row;
  }
}

const COLUMN_OF = { leadId: 'lead_id', opportunityId: 'opportunity_id', customerId: 'customer_id', contractId: 'contract_id', orderId: 'order_id' } as const;

/** Fields that do not fit the kind. */
function fieldProblems(kind: ActivityKind, input: { dueAt?: string | null; occurredAt?: string | null; direction?: string | null }, now: Date): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (kind !== 'task' && input.dueAt) problems.push({ field: 'dueAt', message: 'only tasks have a due date; log the activity when it happened' });
  if (kind === 'task' && input.occurredAt) problems.push({ field: 'occurredAt', message: 'a task has not happened yet; complete it with status done' });
  if (input.direction && !DIRECTED_KINDS.includes(kind)) problems.push({ field: 'direction', message: `a ${kind} has no direction` });
  if (kind !== 'task' && input.occurredAt && new Date(input.occurredAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    problems.push({ field: 'occurredAt', message: 'an activity is logged after it happened; occurredAt is in the future' });
  }
  return problems;
}
