import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OpportunityLineItem } from '../opportunities/opportunity.entity';
import type { RuleConditions } from './automation-rule-documents';

export interface WonOpportunity {
  id: string;
  tenantId: string;
  name: string;
  customerId: string;
  ownerId: string;
  status: string;
  amountMicros: string;
  currency: string;
  partnerId: string | null;
  lineItems: OpportunityLineItem[];
}

/** An open lead without an owner, as the escalation needs it. */
export interface EscalationCandidate {
  id: string;
  tenantId: string;
  companyName: string | null;
  teamId: string | null;
  customerId: string | null;
  createdAt: Date;
  version: number;
}

const OPEN_LEAD = `l.status IN ('new', 'working', 'qualified')`;

/** The reads automation rules make about their subjects (orders, opportunities, leads, customers, users), in SQL. */
@Injectable()
export class AutomationSubjects {
  /** The customer's region from the directory (null when unknown). */
  async customerRegion(manager: EntityManager, tenantId: string, customerId: string): Promise<string | null> {
    const rows: Array<{ region: string | null }> = await manager.query(`SELECT region FROM customer_directory WHERE tenant_id = $1 AND id = $2`, [tenantId, customerId]);
    return rows[0]?.region || null;
  }

  /** A contract (not terminated) made for the order, if any. */
  async contractOfOrder(manager: EntityManager, tenantId: string, orderId: string): Promise<{ id: string; contractNumber: string } | null> {
    const rows: Array<{ id: string; contract_number: string }> = await manager.query(
      `SELECT id, contract_number FROM contracts WHERE tenant_id = $1 AND order_id = $2 AND status <> 'terminated' ORDER BY created_at LIMIT 1`,
      [tenantId, orderId],
    );
    return rows[0] ? { id: rows[0].id, contractNumber: rows[0].contract_number } : null;
  }

  async opportunity(manager: EntityManager, tenantId: string, opportunityId: string): Promise<WonOpportunity | null> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT id, tenant_id, name, customer_id, owner_id, status, amount_micros::text AS amount_micros, currency, partner_id, line_items FROM opportunities WHERE tenant_id = $1 AND id = $2`,
      [tenantId, opportunityId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      tenantId: row.tenant_id as string,
      name: row.name as string,
      customerId: row.customer_id as string,
      ownerId: row.owner_id as string,
      status: row.status as string,
      amountMicros: row.amount_micros as string,
      currency: row.currency as string,
      partnerId: row.partner_id as string | null,
      lineItems: (row.line_items as OpportunityLineItem[]) ?? [],
    };
  }

  /** An order (draft or placed, not cancelled) of the opportunity, if any. */
  async orderOfOpportunity(manager: EntityManager, tenantId: string, opportunityId: string): Promise<{ id: string; orderNumber: string } | null> {
    const rows: Array<{ id: string; order_number: string }> = await manager.query(
      `SELECT id, order_number FROM orders WHERE tenant_id = $1 AND opportunity_id = $2 AND status <> 'cancelled' ORDER BY created_at LIMIT 1`,
      [tenantId, opportunityId],
    );
    return rows[0] ? { id: rows[0].id, orderNumber: rows[0].order_number } : null;
  }

  /**
   * Open leads of the tenant without an owner, captured at least `hours` before `now`, matching the
   * rule's channels and regions and without a run of the rule that did not fail; oldest first, locked
   * with SKIP LOCKED (a second scheduler instance takes others; what it skips is due next run).
   */
  async unassignedLeads(manager: EntityManager, tenantId: string, ruleId: string, conditions: RuleConditions, now: Date, limit: number, exclude: readonly string[] = []): Promise<EscalationCandidate[]> {
    const params: unknown[] = [tenantId, ruleId, now, conditions.hours ?? 0, limit];
    const where = [`l.tenant_id = $1`, OPEN_LEAD, `l.owner_id IS NULL`, `l.created_at <= $3::timestamptz - make_interval(hours => $4::int)`];
    if (exclude.length > 0) {
      params.push([...exclude]);
      where.push(`l.id <> ALL($${params.length}::uuid[])`);
    }
    if (conditions.channels) {
      params.push(conditions.channels);
      where.push(`l.channel = ANY($${params.length}::text[])`);
    }
    if (conditions.regions) {
      params.push(conditions.regions);
      where.push(`l.region = ANY($${params.length}::text[])`);
    }
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT l.id, l.tenant_id, l.company_name, l.team_id, l.customer_id, l.created_at, l.version
         FROM leads l
        WHERE ${where.join(' AND ')}
          AND NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.tenant_id = $1 AND r.rule_id = $2 AND r.subject_id = l.id AND r.outcome <> 'failed')
        ORDER BY l.created_at, l.id
        LIMIT $5
        FOR UPDATE OF l SKIP LOCKED`,
      params,
    );
    return rows.map((row) => ({
      id: row.id as string,
      tenantId: row.tenant_id as string,
      companyName: row.company_name as string | null,
      teamId: row.team_id as string | null,
      customerId: row.customer_id as string | null,
      createdAt: row.created_at as Date,
      version: row.version as number,
    }));
  }

  /**
   * Who an escalation goes to: the rule's target user when given (and active); otherwise an active
   * manager of the lead's team (users with role manager in user_team_members of the team), else an
   * active admin of the tenant. Among several, the one with the fewest open tasks, then by id.
   */
  async escalationTarget(manager: EntityManager, tenantId: string, targetUserId: string | null, teamId: string | null): Promise<{ userId: string; kind: 'user' | 'team_manager' | 'admin' } | null> {
    if (targetUserId) {
      const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE tenant_id = $1 AND id = $2 AND active`, [tenantId, targetUserId]);
      return rows[0] ? { userId: rows[0].id, kind: 'user' } : null;
    }
    const leastBusy = (candidates: string) =>
      `SELECT u.id FROM (${candidates}) u
         ORDER BY (SELECT count(*) FROM activities a WHERE a.tenant_id = $1 AND a.owner_id = u.id AND a.kind = 'task' AND a.status = 'open'), u.id
         LIMIT 1`;
    if (teamId) {
      const managers: Array<{ id: string }> = await manager.query(
        leastBusy(`SELECT u.id FROM users u JOIN user_team_members m ON m.user_id = u.id AND m.team_id = $2 AND m.tenant_id = $1 WHERE u.tenant_id = $1 AND u.active AND 'manager' = ANY(u.roles)`),
        [tenantId, teamId],
      );
      if (managers[0]) return { userId: managers[0].id, kind: 'team_manager' };
    }
    const admins: Array<{ id: string }> = await manager.query(leastBusy(`SELECT u.id FROM users u WHERE u.tenant_id = $1 AND u.active AND 'admin' = ANY(u.roles)`), [tenantId]);
    return admins[0] ? { userId: admins[0].id, kind: 'admin' } : null;
  }
}
