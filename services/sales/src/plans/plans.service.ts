import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ownershipScope, principal, type OwnershipScope } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { assertVersion, isUuid, type Page } from '@crm/platform/api';
import { UsersRepository } from '../users/users.repository';
import { RecordLinkChecker } from '../activities/record-links';
import { userInScope } from '../activities/work-sql';
import type { CreatePlanDto, ListPlansQueryDto, PlanDto, PlanItemInputDto, UpdatePlanDto, UpdatePlanItemDto } from './dto/plan.dto';
import { InvalidPlanError, PlanExistsError, PlanItemCountedError, PlanItemNotFoundError, PlanLinkNotFoundError, PlanNotFoundError, PlanOwnerNotAssignableError } from './plan.errors';
import { toPlanDto } from './plan.mapper';
import { planPeriod } from './plan-period';
import { PlansRepository, type PlanItemRow, type PlanRow } from './plans.repository';

/**
 * Rep plans: one per rep and period (day, week, month) with items that count towards a target. A rep
 * plans for themself; a manager also for the members of their teams and sees their plans.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly plans: PlansRepository,
    private readonly users: UsersRepository,
    private readonly links: RecordLinkChecker,
  ) {}

  list(query: ListPlansQueryDto): Promise<Page<PlanDto>> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const page = await this.plans.page(manager, { ownerId: query.ownerId, teamId: query.teamId, periodType: query.periodType, from: query.from, to: query.to }, scope, {
        limit: query.limit,
        cursor: query.cursor,
        total: query.total,
      });
      const items = await this.plans.itemsOf(
        manager,
        page.items.map((plan) => plan.id),
      );
      return { ...page, items: page.items.map((plan) => toPlanDto(plan, items.get(plan.id) ?? [])) };
    });
  }

  get(id: string): Promise<PlanDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => this.load(manager, await this.findOrFail(manager, id, scope)));
  }

  create(input: CreatePlanDto): Promise<PlanDto> {
    const caller = principal();
    const scope = ownershipScope();
    const period = planPeriod(input.periodType, input.periodStart);
    if ('error' in period) throw new InvalidPlanError([{ field: 'periodStart', message: period.error }]);
    return this.transactions.run(async (manager) => {
      const ownerId = (input.ownerId ?? caller.userId).toLowerCase();
      const active = await this.users.activeIds(manager, [ownerId]);
      if (!active.has(ownerId) || !(await userInScope(manager, scope, caller.tenantId, ownerId))) throw new PlanOwnerNotAssignableError(ownerId);
      const items = await this.resolveItems(manager, input.items ?? [], new Map());
      const id = randomUUID();
      try {
        await this.plans.insert(manager, { id, owner_id: ownerId, period_type: input.periodType, period_start: period.start, period_end: period.end, notes: input.notes ?? null, created_by: caller.userId });
      } catch (error) {
        if (isUniqueViolation(error, 'rep_plans_period_idx')) throw new PlanExistsError(ownerId, input.periodType, period.start);
        throw error;
      }
      await this.plans.replaceItems(manager, id, items);
      return this.load(manager, await this.reload(manager, id));
    });
  }

  update(id: string, input: UpdatePlanDto, expectedVersion: number | undefined): Promise<PlanDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const plan = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, plan.version);
      if (input.items !== undefined) {
        const existing = (await this.plans.itemsOf(manager, [plan.id])).get(plan.id) ?? [];
        const items = await this.resolveItems(manager, input.items, new Map(existing.map((item) => [item.id, item])));
        await this.plans.replaceItems(manager, plan.id, items);
      }
      await this.plans.touch(manager, plan.id, input.notes !== undefined ? input.notes : plan.notes);
      return this.load(manager, await this.reload(manager, plan.id));
    });
  }

  /** Progress on one item: a done count, or done true/false (target / 0). */
  updateItem(id: string, itemId: string, input: UpdatePlanItemDto, expectedVersion: number | undefined): Promise<PlanDto> {
    const scope = ownershipScope();
    if (input.doneCount === undefined && input.done === undefined) throw new InvalidPlanError([{ field: 'doneCount', message: 'give doneCount or done' }]);
    if (input.doneCount !== undefined && input.done !== undefined) throw new InvalidPlanError([{ field: 'done', message: 'give doneCount or done, not both' }]);
    return this.transactions.run(async (manager) => {
      const plan = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, plan.version);
      const item = isUuid(itemId) ? (await this.plans.itemsOf(manager, [plan.id])).get(plan.id)?.find((candidate) => candidate.id === itemId.toLowerCase()) : undefined;
      if (!item) throw new PlanItemNotFoundError(id, itemId);
      if (item.count_activities) throw new PlanItemCountedError(item.id);
      const doneCount = input.doneCount ?? (input.done ? item.target_count : 0);
      await this.plans.setDoneCount(manager, plan.id, item.id, doneCount);
      await this.plans.touch(manager, plan.id, plan.notes);
      return this.load(manager, await this.reload(manager, plan.id));
    });
  }

  /** Items as rows: kept ids must be the plan's own items; linked records must exist. */
  private async resolveItems(manager: EntityManager, inputs: readonly PlanItemInputDto[], existing: ReadonlyMap<string, PlanItemRow>): Promise<Array<Omit<PlanItemRow, 'plan_id' | 'position'>>> {
    const problems: Array<{ field: string; message: string }> = [];
    const seen = new Set<string>();
    const rows = inputs.map((input, index) => {
      const keptId = input.id?.toLowerCase();
      const kept = keptId ? existing.get(keptId) : undefined;
      if (keptId && !kept) problems.push({ field: `items[${index}].id`, message: 'not an item of this plan' });
      if (keptId && seen.has(keptId)) problems.push({ field: `items[${index}].id`, message: 'given twice' });
      if (keptId) seen.add(keptId);
      const countActivities = input.countActivities ?? kept?.count_activities ?? false;
      if (countActivities && input.kind === 'other') problems.push({ field: `items[${index}].countActivities`, message: 'an item of kind other has no activities to count' });
      if (countActivities && input.doneCount !== undefined) problems.push({ field: `items[${index}].doneCount`, message: 'an item that counts activities has no done count to set' });
      return {
        id: kept?.id ?? randomUUID(),
        title: input.title.trim(),
        kind: input.kind,
        target_count: input.targetCount ?? kept?.target_count ?? 1,
        done_count: countActivities ? 0 : (input.doneCount ?? (kept && !kept.count_activities ? kept.done_count : 0)),
        count_activities: countActivities,
        lead_id: input.leadId !== undefined ? input.leadId : (kept?.lead_id ?? null),
        opportunity_id: input.opportunityId !== undefined ? input.opportunityId : (kept?.opportunity_id ?? null),
        customer_id: input.customerId !== undefined ? input.customerId : (kept?.customer_id ?? null),
      };
    });
    if (problems.length > 0) throw new InvalidPlanError(problems);
    for (const [index, input] of inputs.entries()) {
      const missing = await this.links.firstMissing(manager, { leadId: input.leadId, opportunityId: input.opportunityId, customerId: input.customerId });
      if (missing) throw new PlanLinkNotFoundError(`items[${index}].${missing[0]}`, missing[1]);
    }
    return rows;
  }

  /** A plan this transaction just wrote. */
  private async reload(manager: EntityManager, id: string): Promise<PlanRow> {
    const plan = await this.plans.findInScope(manager, id, { kind: 'tenant' });
    if (!plan) throw new Error(`plan ${id} vanished after being written`);
    return plan;
  }

  private async load(manager: EntityManager, plan: PlanRow): Promise<PlanDto> {
    return toPlanDto(plan, (await this.plans.itemsOf(manager, [plan.id])).get(plan.id) ?? []);
  }

  private async findOrFail(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<PlanRow> {
    const plan = isUuid(id) ? await this.plans.findInScope(manager, id.toLowerCase(), scope, options) : null;
    if (!plan) throw new PlanNotFoundError(id);
    return plan;
  }
}
