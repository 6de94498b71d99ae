import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SUBJECT_OF_TRIGGER } from './automation-rule-documents';
import { AutomationRulesRepository, type AutomationRuleRecord } from './automation-rules.repository';

/** What an action did: created something (ids) or had nothing to do (why). */
export type ActionResult = { outcome: 'created'; created: Record<string, unknown> } | { outcome: 'skipped'; detail: string; created?: Record<string, unknown> };

export type RunResult = 'created' | 'skipped' | 'failed' | 'already_ran';

/** PostgreSQL errors worth retrying the whole delivery for (the database's trouble, not the rule's). */
const TRANSIENT_SQLSTATE = /^(40001|40P01|57P0[1-3]|08...|53...)$/;

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && TRANSIENT_SQLSTATE.test(code);
}

/**
 * Runs one rule for one subject exactly once, inside the caller's transaction (a consumer's or the
 * escalation job's): in a savepoint it claims the run row (unique per rule and subject), applies the
 * action and records what it created; the row and the effects commit together or not at all. If the
 * action fails, the savepoint is rolled back (no half-made effects) and a `failed` run is recorded, so
 * one bad rule neither poisons the event nor stops the other rules. A failed run is tried again the
 * next time its subject comes up. Transient database errors are rethrown: the delivery is retried.
 */
@Injectable()
export class AutomationRunner {
  private readonly logger = new Logger(AutomationRunner.name);

  constructor(private readonly rules: AutomationRulesRepository) {}

  async run(manager: EntityManager, rule: AutomationRuleRecord, subjectId: string, eventId: string | null, action: () => Promise<ActionResult>): Promise<RunResult> {
    const run = { id: randomUUID(), tenantId: rule.tenantId, ruleId: rule.id, subjectKind: SUBJECT_OF_TRIGGER[rule.trigger], subjectId, eventId, at: new Date() };
    await manager.query('SAVEPOINT automation_run');
    try {
      if (!(await this.rules.claim(manager, run))) {
        await manager.query('RELEASE SAVEPOINT automation_run');
        return 'already_ran';
      }
      const result = await action();
      await this.rules.finish(manager, rule.tenantId, rule.id, subjectId, result.outcome, result.created ?? {}, result.outcome === 'skipped' ? result.detail : null);
      await manager.query('RELEASE SAVEPOINT automation_run');
      return result.outcome;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT automation_run');
      await manager.query('RELEASE SAVEPOINT automation_run');
      if (isTransient(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`automation rule ${rule.id} (${rule.action}) failed for ${run.subjectKind} ${subjectId}: ${message}`);
      await this.rules.fail(manager, run, message);
      return 'failed';
    }
  }
}
