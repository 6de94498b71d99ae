import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { AutomationAction, AutomationTrigger, RuleConditions, RuleParams } from './automation-rule-documents';
import type { RunOutcome } from './dto/automation-rule.dto';

export interface AutomationRuleRecord {
  id: string;
  tenantId: string;
  name: string;
  trigger: AutomationTrigger;
  action: AutomationAction;
  conditions: RuleConditions;
  params: RuleParams;
  active: boolean;
  version: number;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AutomationRunRecord {
  id: string;
  ruleId: string;
  subjectKind: 'order' | 'opportunity' | 'lead';
  subjectId: string;
  eventId: string | null;
  outcome: RunOutcome;
  created: Record<string, unknown>;
  detail: string | null;
  error: string | null;
  attempts: number;
  at: Date;
}

type Raw = Record<string, unknown>;
const RULE_COLUMNS = `id, tenant_id, name, trigger, action, conditions, params, active, version, created_by, updated_by, created_at, updated_at`;

function toRule(row: Raw): AutomationRuleRecord {
  return {
    id: row.id as string,
    tenantId: row.tenant_id as string,
    name: row.name as string,
    trigger: row.trigger as AutomationTrigger,
    action: row.action as AutomationAction,
    conditions: row.conditions as RuleConditions,
    params: row.params as RuleParams,
    active: row.active as boolean,
    version: row.version as number,
    createdBy: row.created_by as string | null,
    updatedBy: row.updated_by as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function toRun(row: Raw): AutomationRunRecord {
  return {
    id: row.id as string,
    ruleId: row.rule_id as string,
    subjectKind: row.subject_kind as AutomationRunRecord['subjectKind'],
    subjectId: row.subject_id as string,
    eventId: row.event_id as string | null,
    outcome: row.outcome as RunOutcome,
    created: row.created_entities as Record<string, unknown>,
    detail: row.detail as string | null,
    error: row.error as string | null,
    attempts: row.attempts as number,
    at: row.at as Date,
  };
}

/** Automation rules and their runs of the current tenant, in raw SQL (row-level security applies too). */
@Injectable()
export class AutomationRulesRepository {
  async insert(manager: EntityManager, rule: AutomationRuleRecord): Promise<void> {
    await manager.query(
      `INSERT INTO automation_rules (id, tenant_id, name, trigger, action, conditions, params, active, version, created_by, updated_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        rule.id,
        rule.tenantId,
        rule.name,
        rule.trigger,
        rule.action,
        JSON.stringify(rule.conditions),
        JSON.stringify(rule.params),
        rule.active,
        rule.version,
        rule.createdBy,
        rule.updatedBy,
        rule.createdAt,
        rule.updatedAt,
      ],
    );
  }

  async update(manager: EntityManager, rule: AutomationRuleRecord): Promise<void> {
    await manager.query(
      `UPDATE automation_rules SET name = $3, trigger = $4, action = $5, conditions = $6, params = $7, active = $8, version = $9, updated_by = $10, updated_at = $11
        WHERE tenant_id = $1 AND id = $2`,
      [rule.tenantId, rule.id, rule.name, rule.trigger, rule.action, JSON.stringify(rule.conditions), JSON.stringify(rule.params), rule.active, rule.version, rule.updatedBy, rule.updatedAt],
    );
  }

  /** Deletes the rule and its runs; whether it existed. */
  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await modifyingQuery(manager, `DELETE FROM automation_rules WHERE tenant_id = $1 AND id = $2 RETURNING id`, [requireTenantId(), id]);
    return rows.length > 0;
  }

  async findById(manager: EntityManager, id: string, lock = false): Promise<AutomationRuleRecord | null> {
    const rows: Raw[] = await manager.query(`SELECT ${RULE_COLUMNS} FROM automation_rules WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [requireTenantId(), id]);
    return rows[0] ? toRule(rows[0]) : null;
  }

  /** The tenant's active rules of a trigger, oldest first (the order they run in). */
  async activeRules(manager: EntityManager, tenantId: string, trigger: AutomationTrigger): Promise<AutomationRuleRecord[]> {
    const rows: Raw[] = await manager.query(`SELECT ${RULE_COLUMNS} FROM automation_rules WHERE trigger = $2 AND tenant_id = $1 AND active ORDER BY created_at, id`, [tenantId, trigger]);
    return rows.map(toRule);
  }

  /** Tenants with an active rule of the trigger (a system transaction: across tenants). */
  async tenantsWithActiveRules(manager: EntityManager, trigger: AutomationTrigger): Promise<string[]> {
    const rows: Array<{ tenant_id: string }> = await manager.query(`SELECT DISTINCT tenant_id FROM automation_rules WHERE trigger = $1 AND active`, [trigger]);
    return rows.map((row) => row.tenant_id);
  }

  /** Newest first, keyset on (created_at, id). */
  async list(manager: EntityManager, filter: { trigger?: AutomationTrigger; active?: boolean; limit: number; cursor?: string; total?: boolean }): Promise<Page<AutomationRuleRecord>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['tenant_id = $1'];
    if (filter.trigger) {
      params.push(filter.trigger);
      where.push(`trigger = $${params.length}`);
    }
    if (filter.active !== undefined) {
      params.push(filter.active);
      where.push(`active = $${params.length}`);
    }
    return this.page(manager, 'automation_rules', RULE_COLUMNS, 'created_at', where, params, filter, toRule, (rule) => rule.createdAt);
  }

  /** A rule's runs, newest first, keyset on (at, id). */
  async runs(manager: EntityManager, ruleId: string, filter: { outcome?: RunOutcome; limit: number; cursor?: string; total?: boolean }): Promise<Page<AutomationRunRecord>> {
    const params: unknown[] = [requireTenantId(), ruleId];
    const where = ['tenant_id = $1', 'rule_id = $2'];
    if (filter.outcome) {
      params.push(filter.outcome);
      where.push(`outcome = $${params.length}`);
    }
    const columns = 'id, rule_id, subject_kind, subject_id, event_id, outcome, created_entities, detail, error, attempts, at';
    return this.page(manager, 'automation_runs', columns, 'at', where, params, filter, toRun, (run) => run.at);
  }

  private async page<T extends { id: string }>(
    manager: EntityManager,
    table: string,
    columns: string,
    timeColumn: string,
    where: string[],
    params: unknown[],
    filter: { limit: number; cursor?: string; total?: boolean },
    map: (row: Raw) => T,
    timeOf: (item: T) => Date,
  ): Promise<Page<T>> {
    let total: number | undefined;
    if (filter.total) {
      const counted: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM ${table} WHERE ${where.join(' AND ')}`, params);
      total = Number(counted[0].count);
    }
    const pageWhere = [...where];
    const pageParams = [...params];
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      pageParams.push(after.at, after.id);
      pageWhere.push(`(${timeColumn}, id) < ($${pageParams.length - 1}, $${pageParams.length})`);
    }
    pageParams.push(filter.limit + 1);
    const rows: Raw[] = await manager.query(
      `SELECT ${columns} FROM ${table} WHERE ${pageWhere.join(' AND ')} ORDER BY ${timeColumn} DESC, id DESC LIMIT $${pageParams.length}`,
      pageParams,
    );
    const items = rows.slice(0, filter.limit).map(map);
    const last = items[items.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: timeOf(last), id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /**
   * Claims the run of (rule, subject): inserts it, or takes over a failed one (attempts + 1). Returns
   * false when a run that is not failed exists (the rule already ran for the subject). A concurrent
   * claim of the same key waits for the first transaction and then sees its row.
   */
  async claim(manager: EntityManager, run: { id: string; tenantId: string; ruleId: string; subjectKind: string; subjectId: string; eventId: string | null; at: Date }): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO automation_runs (id, tenant_id, rule_id, subject_kind, subject_id, event_id, outcome, at)
       VALUES ($1, $2, $3, $4, $5, $6, 'created', $7)
       ON CONFLICT (tenant_id, rule_id, subject_id) DO UPDATE
         SET outcome = 'created', event_id = EXCLUDED.event_id, error = NULL, detail = NULL, created_entities = '{}', attempts = automation_runs.attempts + 1, at = EXCLUDED.at
         WHERE automation_runs.outcome = 'failed'
       RETURNING id`,
      [run.id, run.tenantId, run.ruleId, run.subjectKind, run.subjectId, run.eventId, run.at],
    );
    return (rows as unknown[]).length > 0;
  }

  /** Records what the claimed run did. */
  async finish(manager: EntityManager, tenantId: string, ruleId: string, subjectId: string, outcome: 'created' | 'skipped', created: Record<string, unknown>, detail: string | null): Promise<void> {
    await manager.query(`UPDATE automation_runs SET outcome = $4, created_entities = $5, detail = $6 WHERE tenant_id = $1 AND rule_id = $2 AND subject_id = $3`, [
      tenantId,
      ruleId,
      subjectId,
      outcome,
      JSON.stringify(created),
      detail,
    ]);
  }

  /** Records a failed run (after its effects were rolled back); a later success replaces it. */
  async fail(manager: EntityManager, run: { id: string; tenantId: string; ruleId: string; subjectKind: string; subjectId: string; eventId: string | null; at: Date }, error: string): Promise<void> {
    await manager.query(
      `INSERT INTO automation_runs (id, tenant_id, rule_id, subject_kind, subject_id, event_id, outcome, error, at)
       VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7, $8)
       ON CONFLICT (tenant_id, rule_id, subject_id) DO UPDATE
         SET event_id = EXCLUDED.event_id, error = EXCLUDED.error, attempts = automation_runs.attempts + 1, at = EXCLUDED.at
         WHERE automation_runs.outcome = 'failed'`,
      [run.id, run.tenantId, run.ruleId, run.subjectKind, run.subjectId, run.eventId, error.slice(0, 2000), run.at],
    );
  }
}
