import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeadEntity } from '../leads/lead.entity';
import { scoreLead, type LeadScore, type ScoringRules } from './lead-scoring';
import { ScoringRulesService } from './scoring-rules.service';

/** Activities recorded on a lead: how many, and the latest. */
export interface ActivityStats {
  count: number;
  lastAt: Date | null;
}

const NONE: ActivityStats = { count: 0, lastAt: null };

/**
 * Scores leads with the tenant's rules: gathers the interactions (activities recorded on the lead,
 * plus captures beyond the first) and the last interaction, then applies the pure `scoreLead`.
 * Captures, edits and repeated captures score at once; LeadRescoringJob refreshes open leads daily
 * (recency decays, activities add up), and `rescore` lets any part of sales rescore a lead it touched.
 */
@Injectable()
export class LeadScorer {
  constructor(private readonly rules: ScoringRulesService) {}

  /** The tenant's rules, loaded once per capture, change or batch. */
  loadRules(manager: EntityManager): Promise<ScoringRules> {
    return this.rules.rules(manager);
  }

  /** Scores `lead` and stores the score, reasons and time on it; a `fresh` (not yet saved) lead has no activities to look up. */
  async score(manager: EntityManager, lead: LeadEntity, now: Date, options: { rules?: ScoringRules; fresh?: boolean; activity?: ActivityStats } = {}): Promise<LeadScore> {
    const activity = options.activity ?? (options.fresh ? NONE : ((await this.activityStats(manager, lead.tenantId, [lead.id])).get(lead.id) ?? NONE));
    const lastInteractionAt = activity.lastAt && activity.lastAt > lead.lastInteractionAt ? activity.lastAt : lead.lastInteractionAt;
    const result = scoreLead(
      { channel: lead.channel, industry: lead.industry, companySize: lead.companySize, interactions: activity.count + Math.max(0, lead.captureCount - 1), lastInteractionAt, now },
      options.rules ?? (await this.rules.rules(manager)),
    );
    lead.score = result.score;
    lead.scoreReasons = result.reasons;
    lead.scoredAt = now;
    return result;
  }

  /** Rescores one open lead in the caller's transaction (e.g. after logging an activity on it); no version change, the score is derived. */
  async rescore(manager: EntityManager, tenantId: string, leadId: string, now = new Date()): Promise<void> {
    const lead = await manager
      .getRepository(LeadEntity)
      .createQueryBuilder('l')
      .where('l.id = :leadId AND l.tenantId = :tenantId', { leadId, tenantId })
      .andWhere(`l.status IN ('new', 'working', 'qualified')`)
      .setLock('pessimistic_write')
      .getOne();
    if (!lead) return;
    await this.score(manager, lead, now);
    await this.storeScores(manager, [lead]);
  }

  /** Writes score, reasons and time of already scored leads in one statement. */
  async storeScores(manager: EntityManager, leads: readonly LeadEntity[]): Promise<void> {
    if (leads.length === 0) return;
    await manager.query(
      `UPDATE leads l SET score = s.score, score_reasons = s.reasons, scored_at = s.scored_at
         FROM unnest($1::uuid[], $2::smallint[], $3::jsonb[], $4::timestamptz[]) AS s (id, score, reasons, scored_at)
        WHERE l.id = s.id AND l.tenant_id = $5`,
      [leads.map((lead) => lead.id), leads.map((lead) => lead.score), leads.map((lead) => JSON.stringify(lead.scoreReasons)), leads.map((lead) => lead.scoredAt), leads[0].tenantId],
    );
  }

  /** Activities recorded on these leads (calls, meetings, e-mails, … and done tasks), per lead; `activities_lead_idx`. */
  async activityStats(manager: EntityManager, tenantId: string, leadIds: readonly string[]): Promise<Map<string, ActivityStats>> {
    if (leadIds.length === 0) return new Map();
    const rows: Array<{ lead_id: string; count: string; last_at: Date | null }> = await manager.query(
      `SELECT lead_id, count(*) AS count, max(COALESCE(occurred_at, completed_at, created_at)) AS last_at
         FROM activities
        WHERE lead_id = ANY($1::uuid[]) AND tenant_id = $2 AND (kind <> 'task' OR status = 'done')
        GROUP BY lead_id`,
      [[...leadIds], tenantId],
    );
    return new Map(rows.map((row) => [row.lead_id, { count: Number(row.count), lastAt: row.last_at }]));
  }
}
