import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssignmentRulesService } from './assignment-rules.service';
import { matchRule, nextInRotation, SENIOR_LEVELS, type AssignmentReason, type AssignmentRules, type LeadFacts } from './assignment-rules';

/** The outcome of assigning one lead. */
export interface Assignment {
  ownerId: string | null;
  teamId: string | null;
  reason: AssignmentReason;
  /** The rule that decided, by name; null when none did. */
  ruleName: string | null;
  /** A sentence for people: who and why, or why nobody. */
  detail: string;
}

interface Rep {
  id: string;
  seniority: string;
}

/**
 * Applies the tenant's assignment rules to a lead being captured, in the capture's transaction.
 *
 * A team's round-robin is exact under concurrency: the team's cursor row is locked FOR UPDATE before the
 * reps' loads are counted, so two concurrent captures for one team run one after the other and the
 * second sees the first's lead (READ COMMITTED takes a new snapshot per statement) and the moved cursor.
 * Every pool of a team (all reps, senior reps) takes the team's `all` row first, so capacity holds
 * across pools too. Loads come from `lead_owner_loads` (kept by triggers on leads), one row per rep.
 */
@Injectable()
export class LeadAssigner {
  constructor(private readonly rulesService: AssignmentRulesService) {}

  loadRules(manager: EntityManager): Promise<AssignmentRules> {
    return this.rulesService.rules(manager);
  }

  async assign(manager: EntityManager, tenantId: string, lead: LeadFacts, rules: AssignmentRules): Promise<Assignment> {
    const matched = matchRule(rules.rules, lead);
    if (!matched) return { ownerId: null, teamId: null, reason: 'unassigned_no_rule', ruleName: null, detail: 'No assignment rule matches this lead' };
    const { rule } = matched;
    const capacity = rule.capacity ?? rules.defaultCapacity;

    if (rule.userId) {
      const [user] = await this.reps(manager, tenantId, { userId: rule.userId });
      const room = user ? ((await this.loads(manager, tenantId, [user.id])).get(user.id) ?? 0) < capacity : false;
      if (!user || !room) {
        const why = user ? `has ${capacity} open leads (capacity)` : 'is not an active user';
        return { ownerId: null, teamId: null, reason: 'unassigned_user_unavailable', ruleName: rule.name, detail: `Rule "${rule.name}" names a user who ${why}; the lead stays unassigned` };
      }
      return { ownerId: user.id, teamId: null, reason: 'rule_user', ruleName: rule.name, detail: `Rule "${rule.name}" gives matching leads to this user` };
    }

    const teamId = rule.teamId;
    if (!teamId) return { ownerId: null, teamId: null, reason: 'unassigned_no_rule', ruleName: rule.name, detail: `Rule "${rule.name}" names no team or user` };
    await this.lockCursor(manager, tenantId, teamId, 'all');
    const reps = await this.reps(manager, tenantId, { teamId });
    if (reps.length === 0) return { ownerId: null, teamId, reason: 'unassigned_no_reps', ruleName: rule.name, detail: `Rule "${rule.name}": the team has no active reps; the lead stays unassigned` };
    const loads = await this.loads(manager, tenantId, reps.map((rep) => rep.id));
    const hasRoom = (userId: string) => (loads.get(userId) ?? 0) < capacity;

    let seniorNote = '';
    if (lead.score >= rules.highScoreThreshold) {
      const seniors = reps.filter((rep) => SENIOR_LEVELS.includes(rep.seniority)).map((rep) => rep.id);
      if (seniors.length > 0) {
        const last = await this.lockCursor(manager, tenantId, teamId, 'senior');
        const picked = nextInRotation(seniors, last, hasRoom);
        if (picked) {
          await this.moveCursor(manager, tenantId, teamId, 'senior', picked);
          return { ownerId: picked, teamId, reason: 'senior_round_robin', ruleName: rule.name, detail: `Score ${lead.score} ≥ ${rules.highScoreThreshold}: next senior rep of the team (rule "${rule.name}")` };
        }
        seniorNote = `; every senior rep has ${capacity} open leads, so the whole team's rotation was used`;
      } else seniorNote = '; the team has no senior reps, so the whole team rotation was used';
    }

    const last = await this.lockCursor(manager, tenantId, teamId, 'all');
    const picked = nextInRotation(reps.map((rep) => rep.id), last, hasRoom);
    if (!picked) {
      return { ownerId: null, teamId, reason: 'unassigned_capacity', ruleName: rule.name, detail: `Rule "${rule.name}": every rep of the team has ${capacity} open leads (capacity); the lead stays unassigned` };
    }
    await this.moveCursor(manager, tenantId, teamId, 'all', picked);
    return { ownerId: picked, teamId, reason: 'round_robin', ruleName: rule.name, detail: `Next rep of the team's rotation (rule "${rule.name}")${seniorNote}` };
  }

  /** Active reps (role rep), of a team or one user, in a fixed order. */
  private async reps(manager: EntityManager, tenantId: string, of: { teamId: string } | { userId: string }): Promise<Rep[]> {
    if ('userId' in of) {
      return manager.query(`SELECT id, seniority FROM users WHERE tenant_id = $1 AND id = $2 AND active`, [tenantId, of.userId]);
    }
    return manager.query(
      `SELECT u.id, u.seniority FROM user_team_members m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $2 AND m.tenant_id = $1 AND u.tenant_id = $1 AND u.active AND 'rep' = ANY(u.roles)
        ORDER BY u.id`,
      [tenantId, of.teamId],
    );
  }

  /** Open leads per user, from the counters the leads table's triggers keep (see the leads migration). */
  private async loads(manager: EntityManager, tenantId: string, userIds: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ user_id: string; open_leads: number }> = await manager.query(`SELECT user_id, open_leads FROM lead_owner_loads WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])`, [
      tenantId,
      [...userIds],
    ]);
    return new Map(rows.map((row) => [row.user_id, Number(row.open_leads)]));
  }

  /** Creates the cursor row if needed and locks it until the transaction ends; the last user it gave a lead to. */
  private async lockCursor(manager: EntityManager, tenantId: string, teamId: string, pool: 'all' | 'senior'): Promise<string | null> {
    await manager.query(`INSERT INTO lead_assignment_cursors (tenant_id, team_id, pool) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, teamId, pool]);
    const rows: Array<{ last_user_id: string | null }> = await manager.query(
      `SELECT last_user_id FROM lead_assignment_cursors WHERE tenant_id = $1 AND team_id = $2 AND pool = $3 FOR UPDATE`,
      [tenantId, teamId, pool],
    );
    return rows[0]?.last_user_id ?? null;
  }

  private async moveCursor(manager: EntityManager, tenantId: string, teamId: string, pool: 'all' | 'senior', userId: string): Promise<void> {
    await manager.query(`UPDATE lead_assignment_cursors SET last_user_id = $4, updated_at = now() WHERE tenant_id = $1 AND team_id = $2 AND pool = $3`, [tenantId, teamId, pool, userId]);
  }
}
