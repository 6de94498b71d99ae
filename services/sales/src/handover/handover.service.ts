import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HandoverCompletedEvent, HandoverCompletedSchema } from '@crm/contracts';
import { ownershipScope, principal } from '@crm/platform/auth';
import { requireTenantId, TenantTransactions } from '@crm/platform/database';
import { EventBus } from '@crm/platform/messaging';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { ValidationFailedError } from '@crm/platform/errors';
import { UsersRepository } from '../users/users.repository';
import { userInScope } from '../activities/work-sql';
import type { HandoverReportDto, ListHandoversQueryDto, StartHandoverDto } from './dto/handover.dto';
import { HandoverNotFoundError, HandoverUserNotFoundError, InvalidHandoverTargetError } from './handover.errors';
import { HANDOVER_PARTICIPANTS, type HandoverParticipant, type WorkMove } from './handover-participant';
import { HandoversRepository, type HandoverRow, type HandoverRule } from './handovers.repository';

interface OwnedCustomer {
  id: string;
  region: string | null;
  industry: string | null;
}

/**
 * Hands a (usually leaving) user's open work to others in one transaction: every registered
 * HandoverParticipant moves its part (leads, opportunities, contracts, tasks, …), customers chosen by
 * rules go with their work to the rule's user, a handover row records what moved, and HandoverCompleted
 * tells the customers service (and later ticketing) to re-assign their records the same way.
 */
@Injectable()
export class HandoverService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly users: UsersRepository,
    private readonly handovers: HandoversRepository,
    private readonly eventBus: EventBus,
    @Inject(HANDOVER_PARTICIPANTS) private readonly participants: HandoverParticipant[],
  ) {}

  handOver(fromUserId: string, input: StartHandoverDto): Promise<HandoverReportDto> {
    const caller = principal();
    const scope = ownershipScope();
    const from = isUuid(fromUserId) ? fromUserId.toLowerCase() : null;
    const toUserId = input.toUserId?.toLowerCase() ?? null;
    const rules: HandoverRule[] = (input.rules ?? []).map((rule) => ({
      match: {
        ...(rule.match.region !== undefined ? { region: rule.match.region } : {}),
        ...(rule.match.industry !== undefined ? { industry: rule.match.industry } : {}),
        ...(rule.match.customerIds !== undefined ? { customerIds: rule.match.customerIds.map((id) => id.toLowerCase()) } : {}),
      },
      toUserId: rule.toUserId.toLowerCase(),
    }));
    const empty = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => Object.keys(rule.match).length === 0);
    if (empty.length > 0) throw new ValidationFailedError(empty.map(({ index }) => ({ field: `rules[${index}].match`, message: 'give region, industry or customerIds' })));
    const dryRun = input.dryRun === true;

    return this.transactions.run(async (manager) => {
      const tenantId = requireTenantId();
      if (!from || !(await this.users.findById(manager, from)) || !(await userInScope(manager, scope, tenantId, from))) throw new HandoverUserNotFoundError(fromUserId);
      await this.assertTargets(manager, from, toUserId, rules);
      // One handover of a user at a time: a second one waits and then finds nothing left to move.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('sales:handover:' || $1))`, [from]);

      const owned: OwnedCustomer[] = await manager.query(`SELECT id, region, industry FROM customer_directory WHERE tenant_id = $1 AND owner_id = $2 AND status = 'active' ORDER BY id`, [
        tenantId,
        from,
      ]);
      const customerOwners = assignCustomers(owned, rules);
      const now = new Date();
      const handoverId = dryRun ? '' : randomUUID();
      const move: WorkMove = { tenantId, fromUserId: from, toUserId, customerOwners, handoverId, handedOverBy: caller.userId, at: now };
      const moved = await this.runParticipants(manager, move, dryRun);
      const row: Omit<HandoverRow, 'tenant_id'> = {
        id: handoverId,
        from_user_id: from,
        to_user_id: toUserId,
        rules,
        moved,
        customer_assignments: customerOwners.size,
        customers_owned: owned.length,
        handed_over_by: caller.userId,
        created_at: now,
      };
      if (dryRun) return toReport({ ...row, tenant_id: tenantId }, true);

      await this.handovers.insert(manager, row);
      await this.eventBus.publish(
        manager,
        HandoverCompletedEvent,
        create(HandoverCompletedSchema, {
          tenantId,
          handoverId: row.id,
          fromUserId: from,
          toUserId: toUserId ?? '',
          customerAssignments: [...customerOwners.entries()].map(([customerId, owner]) => ({ customerId, toUserId: owner })),
          handedOverBy: caller.userId,
          handedOverAt: now.toISOString(),
        }),
        { subject: row.id, tenantId },
      );
      return toReport({ ...row, tenant_id: tenantId }, false);
    });
  }

  list(query: ListHandoversQueryDto): Promise<Page<HandoverReportDto>> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const page = await this.handovers.page(manager, query.fromUserId?.toLowerCase(), scope, { limit: query.limit, cursor: query.cursor, total: query.total });
      return mapPage(page, (row) => toReport(row, false));
    });
  }

  get(id: string): Promise<HandoverReportDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const row = isUuid(id) ? await this.handovers.findInScope(manager, id.toLowerCase(), scope) : null;
      if (!row) throw new HandoverNotFoundError(id);
      return toReport(row, false);
    });
  }

  /**
   * Each participant's count. A dry run counts (countOpenWork), or, for a participant without a count,
   * moves inside a savepoint that is rolled back, so the numbers are exactly what a real run would move.
   */
  private async runParticipants(manager: EntityManager, move: WorkMove, dryRun: boolean): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const participant of this.participants) {
      let count: number;
      if (!dryRun) count = await participant.moveOpenWork(manager, move);
      else if (participant.countOpenWork) count = await participant.countOpenWork(manager, move);
      else {
        await manager.query('SAVEPOINT handover_dry_run');
        try {
          count = await participant.moveOpenWork(manager, move);
        } finally {
          await manager.query('ROLLBACK TO SAVEPOINT handover_dry_run');
        }
      }
      moved[participant.kind] = (moved[participant.kind] ?? 0) + count;
    }
    return moved;
  }

  private async assertTargets(manager: EntityManager, from: string, toUserId: string | null, rules: HandoverRule[]): Promise<void> {
    const targets = [...(toUserId ? [{ field: 'toUserId', id: toUserId }] : []), ...rules.map((rule, index) => ({ field: `rules[${index}].toUserId`, id: rule.toUserId }))];
    const active = await this.users.activeIds(
      manager,
      targets.map((target) => target.id),
    );
    for (const target of targets) {
      if (target.id === from) throw new InvalidHandoverTargetError(target.field, 'must be another user than the one handing over');
      if (!active.has(target.id)) throw new InvalidHandoverTargetError(target.field, `${target.id} is not an active user`);
    }
  }
}

/** customer id → new owner, by the first rule each customer matches (every given criterion must match). */
export function assignCustomers(customers: readonly OwnedCustomer[], rules: readonly HandoverRule[]): Map<string, string> {
  const assignments = new Map<string, string>();
  if (rules.length === 0) return assignments;
  const idSets = rules.map((rule) => (rule.match.customerIds ? new Set(rule.match.customerIds) : null));
  for (const customer of customers) {
    const index = rules.findIndex(
      (rule, i) =>
        (rule.match.region === undefined || rule.match.region === customer.region) &&
        (rule.match.industry === undefined || rule.match.industry === customer.industry) &&
        (idSets[i]?.has(customer.id) ?? true),
    );
    if (index >= 0) assignments.set(customer.id, rules[index].toUserId);
  }
  return assignments;
}

function toReport(row: HandoverRow, dryRun: boolean): HandoverReportDto {
  return {
    id: dryRun ? null : row.id,
    dryRun,
    fromUserId: row.from_user_id,
    toUserId: row.to_user_id,
    rules: row.rules,
    moved: Object.entries(row.moved).map(([kind, count]) => ({ kind, count })),
    customers: { owned: row.customers_owned, assignedByRules: row.customer_assignments },
    handedOverBy: row.handed_over_by,
    handedOverAt: row.created_at.toISOString(),
  };
}
