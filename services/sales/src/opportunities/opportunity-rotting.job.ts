import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { PeriodicJob } from '@crm/platform/scheduling';
import { SalesEnv } from '../config/sales.env';
import { SalesTasks } from '../tasks/sales-tasks';
import { OpportunityEvents } from './opportunity-events';
import { OpportunityRottingRepository, type RottingCandidate } from './opportunity-rotting.repository';

/** Opportunities handled per transaction. */
const BATCH_SIZE = 200;
const DAY_MS = 86_400_000;

export interface RottingRunResult {
  /** Tasks (and OpportunityRotting events) this run created. */
  raised: number;
}

/**
 * Finds open opportunities idle longer than their stage's rotting days and gives each owner a task
 * (SalesTasks, origin key `rotting:<opportunityId>:<stage>:<idle since, YYYY-MM-DD>`) and emits
 * OpportunityRotting, both in one transaction. Exactly once per idle period: the origin key is unique
 * per tenant, the event is only emitted by the transaction that created the task, and due rows are
 * locked with SKIP LOCKED, so two instances running at once split the work instead of doubling it. Any
 * stage change, update or activity starts a new idle period (a new key).
 */
@Injectable()
export class OpportunityRottingJob extends PeriodicJob<RottingRunResult> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly rotting: OpportunityRottingRepository,
    private readonly tasks: SalesTasks,
    private readonly events: OpportunityEvents,
    private readonly env: SalesEnv,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.env.SALES_SCHEDULER_INTERVAL_SECONDS * 1000;
  }

  protected async runOnce(now: Date): Promise<RottingRunResult> {
    const result: RottingRunResult = { raised: 0 };
    const tenants = await this.transactions.runAsSystem((manager) => this.rotting.tenantsWithCandidates(manager, now));
    for (const tenantId of tenants) {
      for (;;) {
        if (this.stopping) return result;
        const batch = await this.transactions.runForTenant(tenantId, async (manager) => {
          const due = await this.rotting.due(manager, tenantId, now, BATCH_SIZE);
          let raised = 0;
          for (const candidate of due) if (await this.raise(manager, candidate, now)) raised++;
          return { size: due.length, raised };
        });
        result.raised += batch.raised;
        if (batch.size < BATCH_SIZE) break;
      }
    }
    return result;
  }

  private async raise(manager: EntityManager, candidate: RottingCandidate, now: Date): Promise<boolean> {
    const idleDays = Math.floor((now.getTime() - candidate.idleSince.getTime()) / DAY_MS);
    const task = await this.tasks.raise(manager, {
      tenantId: candidate.tenantId,
      ownerId: candidate.ownerId,
      subject: `商机停滞 Rotting: ${candidate.name}（${candidate.stageName}，${idleDays} 天无进展）`,
      notes: `No stage change, update or activity since ${candidate.idleSince.toISOString()}; the stage allows ${candidate.rottingDays} days.`,
      dueAt: now,
      origin: 'rotting',
      originKey: candidate.originKey,
      opportunityId: candidate.id,
      customerId: candidate.customerId,
    });
    if (!task.created) return false;
    await this.events.rotting(manager, candidate, {
      stage: candidate.stage,
      stageName: candidate.stageName,
      rottingDays: candidate.rottingDays,
      idleSince: candidate.idleSince,
      idleDays,
      taskId: task.id,
      detectedAt: now,
    });
    return true;
  }
}
