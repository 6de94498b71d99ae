import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { ValidationFailedError, type FieldError } from '@crm/platform/errors';
import { RuleDocuments } from '../lead-scoring/rule-documents';
import { DEFAULT_ASSIGNMENT_RULES, type AssignmentRule, type AssignmentRules } from './assignment-rules';
import type { AssignmentRulesDto, AssignmentRulesInputDto } from './dto/assignment-rules.dto';

/** The tenant's lead assignment rules (data), with the defaults (no rules: leads stay with their creator or unassigned) until it sets its own. */
@Injectable()
export class AssignmentRulesService {
  private readonly documents = new RuleDocuments<AssignmentRules>('lead_assignment_rules');

  constructor(private readonly transactions: TenantTransactions) {}

  async rules(manager: EntityManager): Promise<AssignmentRules> {
    return (await this.documents.find(manager))?.rules ?? DEFAULT_ASSIGNMENT_RULES;
  }

  get(): Promise<AssignmentRulesDto> {
    return this.transactions.run(async (manager) => {
      const stored = await this.documents.find(manager);
      return toDto(stored?.rules ?? DEFAULT_ASSIGNMENT_RULES, stored?.version ?? 0);
    });
  }

  replace(input: AssignmentRulesInputDto, expectedVersion: number | undefined): Promise<AssignmentRulesDto> {
    const caller = principal();
    const rules = toRules(input);
    return this.transactions.run(async (manager) => {
      const stored = await this.documents.replace(manager, rules, expectedVersion, caller.userId);
      return toDto(stored.rules, stored.version);
    });
  }
}

function toRules(input: AssignmentRulesInputDto): AssignmentRules {
  const problems: FieldError[] = [];
  const rules = input.rules.map((rule, index): AssignmentRule => {
    if ((rule.teamId === undefined) === (rule.userId === undefined)) problems.push({ field: `rules[${index}]`, message: 'a rule names exactly one of teamId and userId' });
    if (rule.minScore !== undefined && rule.maxScore !== undefined && rule.maxScore < rule.minScore) problems.push({ field: `rules[${index}].maxScore`, message: 'maxScore must not be smaller than minScore' });
    const clean: AssignmentRule = { name: rule.name.trim() };
    const list = (values: string[] | undefined) => [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];
    if (rule.regions?.length) clean.regions = list(rule.regions);
    if (rule.industries?.length) clean.industries = list(rule.industries);
    if (rule.minScore !== undefined) clean.minScore = rule.minScore;
    if (rule.maxScore !== undefined) clean.maxScore = rule.maxScore;
    if (rule.teamId !== undefined) clean.teamId = rule.teamId.toLowerCase();
    if (rule.userId !== undefined) clean.userId = rule.userId.toLowerCase();
    if (rule.capacity !== undefined) clean.capacity = rule.capacity;
    return clean;
  });
  if (problems.length > 0) throw new ValidationFailedError(problems, 'The assignment rules are invalid');
  return { highScoreThreshold: input.highScoreThreshold, defaultCapacity: input.defaultCapacity, rules };
}

function toDto(rules: AssignmentRules, version: number): AssignmentRulesDto {
  return { highScoreThreshold: rules.highScoreThreshold, defaultCapacity: rules.defaultCapacity, rules: rules.rules.map((rule) => ({ ...rule })), version, isDefault: version === 0 };
}
