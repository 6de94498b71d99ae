import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { currentPrincipal } from '@crm/platform/auth';
import { isUniqueViolation, requireTenantId, TenantTransactions } from '@crm/platform/database';
import { checkRule, type AutomationAction, type AutomationTrigger, type RuleConditions, type RuleParams } from './automation-rule-documents';
import { AutomationRuleInvalidError, AutomationRuleNameTakenError, AutomationRuleNotFoundError, TriggerActionMismatchError } from './automation.errors';
import { AutomationRulesRepository, type AutomationRuleRecord, type AutomationRunRecord } from './automation-rules.repository';
import type { AutomationRuleDto, AutomationRunDto, CreateAutomationRuleDto, ListAutomationRulesQueryDto, ListAutomationRunsQueryDto, UpdateAutomationRuleDto } from './dto/automation-rule.dto';

export function toRuleDto(rule: AutomationRuleRecord): AutomationRuleDto {
  return {
    id: rule.id,
    name: rule.name,
    trigger: rule.trigger,
    action: rule.action,
    conditions: rule.conditions as Record<string, unknown>,
    params: rule.params as Record<string, unknown>,
    active: rule.active,
    version: rule.version,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

function toRunDto(run: AutomationRunRecord): AutomationRunDto {
  return {
    id: run.id,
    ruleId: run.ruleId,
    subjectKind: run.subjectKind,
    subjectId: run.subjectId,
    eventId: run.eventId,
    outcome: run.outcome,
    created: run.created,
    detail: run.detail,
    error: run.error,
    attempts: run.attempts,
    at: run.at.toISOString(),
  };
}

/** The checked, normalised conditions and params of a rule; 422 with every problem otherwise. */
function checked(trigger: AutomationTrigger, action: AutomationAction, conditions: unknown, params: unknown): { conditions: RuleConditions; params: RuleParams } {
  const result = checkRule(trigger, action, conditions, params);
  if (!result.ok) throw result.mismatch ? new TriggerActionMismatchError(result.errors) : new AutomationRuleInvalidError(result.errors);
  return { conditions: result.conditions, params: result.params };
}

/** Automation rules as data: created, changed (If-Match), deactivated or deleted through the API; their runs are read here. */
@Injectable()
export class AutomationRulesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly rules: AutomationRulesRepository,
  ) {}

  list(query: ListAutomationRulesQueryDto): Promise<Page<AutomationRuleDto>> {
    return this.transactions.run(async (manager) =>
      mapPage(await this.rules.list(manager, { trigger: query.trigger, active: query.active, limit: query.limit, cursor: query.cursor, total: query.total }), toRuleDto),
    );
  }

  get(id: string): Promise<AutomationRuleDto> {
    return this.transactions.run(async (manager) => toRuleDto(await this.load(manager, id, false)));
  }

  async create(input: CreateAutomationRuleDto): Promise<AutomationRuleDto> {
    const { conditions, params } = checked(input.trigger, input.action, input.conditions, input.params);
    const now = new Date();
    const by = currentPrincipal()?.userId ?? null;
    const rule: AutomationRuleRecord = {
      id: randomUUID(),
      tenantId: requireTenantId(),
      name: input.name.trim(),
      trigger: input.trigger,
      action: input.action,
      conditions,
      params,
      active: input.active ?? true,
      version: 1,
      createdBy: by,
      updatedBy: by,
      createdAt: now,
      updatedAt: now,
    };
    await this.named(rule.name, () => this.transactions.run((manager) => this.rules.insert(manager, rule)));
    return toRuleDto(rule);
  }

  update(id: string, input: UpdateAutomationRuleDto, expected: number | undefined): Promise<AutomationRuleDto> {
    return this.named(input.name ?? '', () =>
      this.transactions.run(async (manager) => {
        const rule = await this.load(manager, id, true);
        assertVersion(expected, rule.version);
        const trigger = input.trigger ?? rule.trigger;
        const action = input.action ?? rule.action;
        // A new trigger brings other conditions (and a new action other params): the old ones are only kept when still meant.
        const { conditions, params } = checked(trigger, action, input.conditions ?? rule.conditions, input.params ?? rule.params);
        const next: AutomationRuleRecord = {
          ...rule,
          name: input.name?.trim() ?? rule.name,
          trigger,
          action,
          conditions,
          params,
          active: input.active ?? rule.active,
          version: rule.version + 1,
          updatedBy: currentPrincipal()?.userId ?? null,
          updatedAt: new Date(),
        };
        await this.rules.update(manager, next);
        return toRuleDto(next);
      }),
    );
  }

  delete(id: string, expected: number | undefined): Promise<void> {
    return this.transactions.run(async (manager) => {
      const rule = await this.load(manager, id, true);
      assertVersion(expected, rule.version);
      await this.rules.delete(manager, rule.id);
    });
  }

  runs(id: string, query: ListAutomationRunsQueryDto): Promise<Page<AutomationRunDto>> {
    return this.transactions.run(async (manager) => {
      const rule = await this.load(manager, id, false);
      return mapPage(await this.rules.runs(manager, rule.id, { outcome: query.outcome, limit: query.limit, cursor: query.cursor, total: query.total }), toRunDto);
    });
  }

  private async load(manager: EntityManager, id: string, lock: boolean): Promise<AutomationRuleRecord> {
    const rule = isUuid(id) ? await this.rules.findById(manager, id.toLowerCase(), lock) : null;
    if (!rule) throw new AutomationRuleNotFoundError(id);
    return rule;
  }

  private async named<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error, 'automation_rules_name_key')) throw new AutomationRuleNameTakenError(name);
      throw error;
    }
  }
}
