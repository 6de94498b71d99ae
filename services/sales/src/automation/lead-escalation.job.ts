import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '@crm/platform/database';
import { PeriodicJob } from '@crm/platform/scheduling';
import { SalesEnv } from '../config/sales.env';
import { AutomationActions } from './automation-actions';
import { AutomationRulesRepository } from './automation-rules.repository';
import { AutomationRunner } from './automation-runner';
import { AutomationSubjects } from './automation-subjects';

/** Leads handled per transaction. */
const BATCH_SIZE = 200;

export interface EscalationRunResult {
  /** Leads escalated (task raised, LeadEscalated emitted) by this run. */
  escalated: number;
  /** Leads whose escalation failed (recorded as failed runs, tried again next run). */
  failed: number;
}

/**
 * Rules `lead_unassigned → escalate_lead`: every SALES_SCHEDULER_INTERVAL_SECONDS, for each tenant
 * with such an active rule, the open leads without an owner captured more than the rule's hours ago
 * get one escalation (AutomationActions.escalateLead) per rule, exactly once: the run row (unique per
 * rule and lead) and the task (origin key unique) commit with the event, and due leads are locked with
 * SKIP LOCKED, so two instances split the work. A lead assigned in the meantime is no longer due.
 */
@Injectable()
export class LeadEscalationJob extends PeriodicJob<EscalationRunResult> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly rules: AutomationRulesRepository,
    private readonly subjects: AutomationSubjects,
    private readonly runner: AutomationRunner,
    private readonly actions: AutomationActions,
    private readonly env: SalesEnv,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.env.SALES_SCHEDULER_INTERVAL_SECONDS * 1000;
  }

  protected async runOnce(now: Date): Promise<EscalationRunResult> {
    const result: EscalationRunResult = { escalated: 0, failed: 0 };
    const tenants = await this.transactions.runAsSystem((manager) => this.rules.tenantsWithActiveRules(manager, 'lead_unassigned'));
    for (const tenantId of tenants) {
      const rules = await this.transactions.runForTenant(tenantId, (manager) => this.rules.activeRules(manager, tenantId, 'lead_unassigned'));
      for (const rule of rules) {
        // Failed leads stay due (retried next run) but are not retried within this run.
        const triedThisRun = new Set<string>();
        for (;;) {
          if (this.stopping) return result;
          const batch = await this.transactions.runForTenant(tenantId, async (manager) => {
            const due = await this.subjects.unassignedLeads(manager, tenantId, rule.id, rule.conditions, now, BATCH_SIZE, [...triedThisRun]);
            const counts = { size: due.length, escalated: 0, failed: 0 };
            for (const lead of due) {
              const outcome = await this.runner.run(manager, rule, lead.id, null, () => this.actions.escalateLead(manager, rule, lead, now));
              if (outcome === 'created') counts.escalated++;
              if (outcome === 'failed') {
                counts.failed++;
                triedThisRun.add(lead.id);
              }
            }
            return counts;
          });
          result.escalated += batch.escalated;
          result.failed += batch.failed;
          if (batch.size < BATCH_SIZE) break;
        }
      }
    }
    return result;
  }
}
