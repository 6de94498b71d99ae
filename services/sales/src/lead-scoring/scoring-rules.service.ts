import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { ValidationFailedError } from '@crm/platform/errors';
import type { ScoringRulesDto, ScoringRulesInputDto } from './dto/scoring-rules.dto';
import { DEFAULT_SCORING_RULES, LEAD_CHANNELS, type ScoringRules } from './lead-scoring';
import { RuleDocuments } from './rule-documents';

/** The tenant's lead scoring rules (data), with the defaults until it sets its own. */
@Injectable()
export class ScoringRulesService {
  private readonly documents = new RuleDocuments<ScoringRules>('lead_scoring_rules');

  constructor(private readonly transactions: TenantTransactions) {}

  /** The rules in force for the transaction's tenant. */
  async rules(manager: EntityManager): Promise<ScoringRules> {
    return (await this.documents.find(manager))?.rules ?? DEFAULT_SCORING_RULES;
  }

  get(): Promise<ScoringRulesDto> {
    return this.transactions.run(async (manager) => {
      const stored = await this.documents.find(manager);
      return toDto(stored?.rules ?? DEFAULT_SCORING_RULES, stored?.version ?? 0);
    });
  }

  /** Replaces the rules; leads are rescored with them when they next change (capture, edit, new capture). */
  replace(input: ScoringRulesInputDto, expectedVersion: number | undefined): Promise<ScoringRulesDto> {
    const caller = principal();
    const rules = toRules(input);
    return this.transactions.run(async (manager) => {
      const stored = await this.documents.replace(manager, rules, expectedVersion, caller.userId);
      return toDto(stored.rules, stored.version);
    });
  }
}

function toRules(input: ScoringRulesInputDto): ScoringRules {
  const problems = input.companySize.flatMap((band, index) =>
    band.max != null && band.max < band.min ? [{ field: `companySize[${index}].max`, message: 'max must not be smaller than min' }] : [],
  );
  if (problems.length > 0) throw new ValidationFailedError(problems, 'The scoring rules have invalid bands');
  const channel: ScoringRules['channel'] = {};
  for (const key of LEAD_CHANNELS) if (input.channel[key] !== undefined) channel[key] = input.channel[key];
  return {
    industry: { targets: [...new Set(input.industry.targets.map((target) => target.trim()).filter(Boolean))], points: input.industry.points, otherPoints: input.industry.otherPoints },
    companySize: input.companySize.map((band) => ({ min: band.min, max: band.max ?? null, points: band.points })),
    channel,
    interactions: { pointsEach: input.interactions.pointsEach, maxPoints: input.interactions.maxPoints },
    recency: input.recency.map((band) => ({ withinDays: band.withinDays, points: band.points })),
  };
}

function toDto(rules: ScoringRules, version: number): ScoringRulesDto {
  return {
    industry: { ...rules.industry, targets: [...rules.industry.targets] },
    companySize: rules.companySize.map((band) => ({ ...band, max: band.max ?? null })),
    channel: { ...rules.channel },
    interactions: { ...rules.interactions },
    recency: rules.recency.map((band) => ({ ...band })),
    version,
    isDefault: version === 0,
  };
}
