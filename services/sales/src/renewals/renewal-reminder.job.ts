import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { PeriodicJob } from '@crm/platform/scheduling';
import { SalesEnv } from '../config/sales.env';
import { ContractEvents } from '../contracts/contract-events';
import { ContractsRepository } from '../contracts/contracts.repository';
import { SalesTasks } from '../tasks/sales-tasks';
import { RenewalsRepository, type RenewalCandidate } from './renewals.repository';

/** Contracts handled per transaction. */
const BATCH_SIZE = 200;

export interface RenewalRunResult {
  /** Reminders (task + ContractExpiring) this run raised. */
  reminded: number;
}

/**
 * Renewal reminders: N days (tenant setting renewalReminderDays, default 30) before a signed or active
 * contract's end date, its owner gets a task (origin key `renewal:<contractId>:<endDate>`) and
 * ContractExpiring is emitted. Exactly once per contract and end date, across restarts and with several
 * instances: in one transaction the run inserts a `renewal_reminders` row keyed (tenant, contract, end
 * date) and raises the task and the event only when that insert happened; due contracts are locked
 * SKIP LOCKED so concurrent runs split them, and a run that loses the insert race waits for the
 * winner's commit and then does nothing. A new end date (an extension) is a new reminder. Days are
 * counted on UTC calendar dates.
 */
@Injectable()
export class RenewalReminderJob extends PeriodicJob<RenewalRunResult> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly renewals: RenewalsRepository,
    private readonly contracts: ContractsRepository,
    private readonly tasks: SalesTasks,
    private readonly events: ContractEvents,
    private readonly env: SalesEnv,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.env.SALES_SCHEDULER_INTERVAL_SECONDS * 1000;
  }

  protected async runOnce(now: Date): Promise<RenewalRunResult> {
    const today = now.toISOString().slice(0, 10);
    const result: RenewalRunResult = { reminded: 0 };
    const tenants = await this.transactions.runAsSystem((manager) => this.renewals.tenantsWithDue(manager, today));
    for (const tenantId of tenants) {
      for (;;) {
        if (this.stopping) return result;
        const batch = await this.transactions.runForTenant(tenantId, async (manager) => {
          const due = await this.renewals.due(manager, tenantId, today, BATCH_SIZE);
          let reminded = 0;
          for (const candidate of due) if (await this.remind(manager, tenantId, candidate, now)) reminded++;
          return { size: due.length, reminded };
        });
        result.reminded += batch.reminded;
        if (batch.size < BATCH_SIZE) break;
      }
    }
    return result;
  }

  private async remind(manager: EntityManager, tenantId: string, candidate: RenewalCandidate, now: Date): Promise<boolean> {
    if (!(await this.renewals.claim(manager, tenantId, candidate.contractId, candidate.endDate, now))) return false;
    const contract = await this.contracts.findById(manager, candidate.contractId, { scoped: false });
    if (!contract) return false;
    const task = await this.tasks.raise(manager, {
      tenantId,
      ownerId: contract.ownerId,
      subject: `合同续约 Renewal: ${contract.contractNumber} ${contract.title}（${candidate.daysLeft} 天后到期 / ends in ${candidate.daysLeft} days）`,
      notes: `Contract ${contract.contractNumber} ends on ${candidate.endDate}.`,
      dueAt: new Date(`${candidate.endDate}T00:00:00Z`),
      origin: 'renewal',
      originKey: `renewal:${contract.id}:${candidate.endDate}`,
      contractId: contract.id,
      customerId: contract.customerId,
    });
    await this.renewals.setTask(manager, tenantId, contract.id, candidate.endDate, task.id);
    await this.events.expiring(manager, contract, { daysLeft: candidate.daysLeft, taskId: task.id, remindedAt: now });
    return true;
  }
}
