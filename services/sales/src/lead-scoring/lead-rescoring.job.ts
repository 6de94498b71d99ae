import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '@crm/platform/database';
import { PeriodicJob } from '@crm/platform/scheduling';
import { SalesEnv } from '../config/sales.env';
import { LeadEntity } from '../leads/lead.entity';
import { LeadScorer } from './lead-scorer';

/** Open leads rescored per transaction. */
const BATCH_SIZE = 200;
/** A score older than this is refreshed: recency is counted in days. */
export const RESCORE_AFTER_MS = 86_400_000;
const OPEN = `status IN ('new', 'working', 'qualified')`;

export interface RescoringRunResult {
  rescored: number;
}

/**
 * Keeps open leads' scores current without anyone touching them: recency decays day by day, and
 * activities logged on a lead add interactions. Every run rescores the open leads whose score is older
 * than a day (oldest first, `leads_open_scored_idx`), per tenant in batches locked with SKIP LOCKED, so
 * two instances share the work. The version does not change: the score is derived data, and a person
 * editing the lead meanwhile must not get a 412 for it.
 */
@Injectable()
export class LeadRescoringJob extends PeriodicJob<RescoringRunResult> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly scorer: LeadScorer,
    private readonly env: SalesEnv,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.env.SALES_SCHEDULER_INTERVAL_SECONDS * 1000;
  }

  protected async runOnce(now: Date): Promise<RescoringRunResult> {
    const result: RescoringRunResult = { rescored: 0 };
    const cutoff = new Date(now.getTime() - RESCORE_AFTER_MS);
    const tenants = await this.transactions.runAsSystem(async (manager) => {
      const rows: Array<{ tenant_id: string }> = await manager.query(`SELECT tenant_id FROM leads WHERE ${OPEN} AND scored_at < $1 ORDER BY scored_at LIMIT 1000`, [cutoff]);
      return [...new Set(rows.map((row) => row.tenant_id))];
    });
    for (const tenantId of tenants) {
      for (;;) {
        if (this.stopping) return result;
        const size = await this.transactions.runForTenant(tenantId, async (manager) => {
          const due = await manager
            .getRepository(LeadEntity)
            .createQueryBuilder('l')
            .where('l.tenantId = :tenantId', { tenantId })
            .andWhere(`l.${OPEN}`)
            .andWhere('l.scoredAt < :cutoff', { cutoff })
            .orderBy('l.scoredAt', 'ASC')
            .limit(BATCH_SIZE)
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .getMany();
          if (due.length === 0) return 0;
          const rules = await this.scorer.loadRules(manager);
          const stats = await this.scorer.activityStats(manager, tenantId, due.map((lead) => lead.id));
          for (const lead of due) await this.scorer.score(manager, lead, now, { rules, activity: stats.get(lead.id) ?? { count: 0, lastAt: null } });
          await this.scorer.storeScores(manager, due);
          return due.length;
        });
        result.rescored += size;
        if (size < BATCH_SIZE) break;
      }
    }
    return result;
  }
}
