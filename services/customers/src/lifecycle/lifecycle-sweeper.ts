import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { PeriodicJob } from '@crm/platform/scheduling';
import { CustomersEnv } from '../config/customers.env';
import { CustomerEvents, type CustomerChange } from '../customers/customer-events';
import { CustomerWriter } from '../customers/customer-writer';
import { sweepCutoffs } from './lifecycle-rules';
import { LifecycleRepository, type SweepCutoffs } from './lifecycle.repository';
import { LifecycleService } from './lifecycle.service';

/** Customers looked up per scan, and moved per transaction. */
const SCAN_SIZE = 10_000;
const BATCH_SIZE = 500;

export interface SweepResult {
  dormant: number;
  churned: number;
}

/**
 * Moves customers without orders for long to dormant, then churned (thresholds in CustomersEnv), every
 * CUSTOMERS_LIFECYCLE_SWEEP_MINUTES. Set-based: per tenant one scan finds who is due, then batches of
 * 500 are locked (SKIP LOCKED), changed through CustomerWriter in one UPDATE, and published as
 * CustomerUpdated, each batch in its own transaction. It keeps no state: what a crash or a shutdown
 * left undone is simply still due at the next sweep, and a second instance sweeping at the same time
 * skips the rows the first one holds.
 */
@Injectable()
export class LifecycleSweeper extends PeriodicJob<SweepResult> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly repository: LifecycleRepository,
    private readonly lifecycle: LifecycleService,
    private readonly writer: CustomerWriter,
    private readonly events: CustomerEvents,
    private readonly config: CustomersEnv,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.CUSTOMERS_LIFECYCLE_SWEEP_MINUTES * 60_000;
  }

  /** One sweep of every tenant as of `now`; a call while one runs in this process joins it. */
  sweep(now: Date = new Date()): Promise<SweepResult> {
    return this.trigger(now);
  }

  protected runOnce(now: Date): Promise<SweepResult> {
    return this.run(now);
  }

  private async run(now: Date): Promise<SweepResult> {
    const cutoffs = sweepCutoffs(now, this.lifecycle.thresholds);
    const result: SweepResult = { dormant: 0, churned: 0 };
    const tenants = await this.transactions.runAsSystem((manager) => this.repository.tenants(manager));
    for (const tenantId of tenants) {
      for (;;) {
        if (this.stopping) return result;
        const ids = await this.transactions.runForTenant(tenantId, (manager) => this.repository.dueIds(manager, tenantId, cutoffs, SCAN_SIZE));
        let moved = 0;
        for (let start = 0; start < ids.length && !this.stopping; start += BATCH_SIZE) {
          const batch = await this.transactions.runForTenant(tenantId, (manager) => this.moveBatch(manager, tenantId, ids.slice(start, start + BATCH_SIZE), cutoffs));
          result.dormant += batch.dormant;
          result.churned += batch.churned;
          moved += batch.dormant + batch.churned;
        }
        // A full scan is looked at again; one that moved nobody (all held by others) waits for the next sweep.
        if (ids.length < SCAN_SIZE || moved === 0) break;
      }
    }
    if (result.dormant + result.churned > 0) this.logger.log(`lifecycle sweep: ${result.dormant} dormant, ${result.churned} churned`);
    return result;
  }

  private async moveBatch(manager: EntityManager, tenantId: string, ids: readonly string[], cutoffs: SweepCutoffs): Promise<SweepResult> {
    const stages = await this.repository.lockDue(manager, tenantId, ids, cutoffs);
    if (stages.size === 0) return { dormant: 0, churned: 0 };
    const customers = await this.repository.load(manager, tenantId, [...stages.keys()]);
    const now = new Date();
    const changes: CustomerChange[] = [];
    for (const customer of customers) {
      const applied = this.writer.apply(customer, { lifecycleStage: stages.get(customer.id) });
      if (applied.fields.length === 0) continue;
      customer.version += 1;
      customer.updatedAt = now;
      changes.push({ kind: 'changed', customer, ...applied, changedBy: null });
    }
    const changed = changes.map((change) => change.customer);
    await this.repository.saveStages(manager, tenantId, changed);
    await this.events.publish(manager, changes);
    const churned = changed.filter((customer) => customer.lifecycleStage === 'churned').length;
    return { dormant: changed.length - churned, churned };
  }
}
