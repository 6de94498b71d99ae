import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toMoney } from '@crm/platform/api';
import { ownershipScope, type OwnershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantTransactions } from '@crm/platform/database';
import { CurrencyConverter } from '../exchange-rates/currency-converter';
import { ReportOwners } from '../funnel/report-owners';
import { InvalidPeriodError } from '../quotas/quota.errors';
import { parsePeriod } from '../quotas/quota-period';
import type { ForecastFiguresDto, ForecastQueryDto, ForecastReportDto, OwnerForecastDto, TeamForecastDto } from './dto/forecast.dto';
import { ForecastRepository, type ForecastRow, type ForecastScope } from './forecast.repository';

export const DEFAULT_COMMIT_THRESHOLD = 80;

/** Sums of one owner or team before they become a DTO. */
interface Figures {
  quota: bigint | null;
  closedWon: bigint;
  commit: bigint;
  bestCase: bigint;
  pipeline: bigint;
  unconverted: Map<string, bigint>;
}

/**
 * Forecast of a period against quota, per owner and per team, in the tenant's reporting currency:
 * - closedWon: won opportunities closed in the period;
 * - commit: open ones expected to close in the period in a commit stage (probability ≥ threshold, default
 *   80, or contract_signed), full amount;
 * - bestCase: every open one expected to close in the period, full amount (commit included);
 * - pipeline: the same open ones weighted by their stage probability;
 * - commitForecast = closedWon + commit, bestCaseForecast = closedWon + bestCase;
 * - attainment = closedWon / quota, commitAttainment = commitForecast / quota.
 */
@Injectable()
export class ForecastService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly forecast: ForecastRepository,
    private readonly owners: ReportOwners,
    private readonly converter: CurrencyConverter,
  ) {}

  async report(query: ForecastQueryDto, now: Date = new Date()): Promise<ForecastReportDto> {
    const period = parsePeriod(query.period);
    if (!period) throw new InvalidPeriodError('period', query.period);
    const scope = ownershipScope();
    const commitThreshold = query.commitThreshold ?? DEFAULT_COMMIT_THRESHOLD;
    return this.transactions.run(async (manager) => {
      const currency = await this.converter.reportingCurrency(manager);
      const owners = await this.owners.resolve(manager, scope, query);
      const forecastScope: ForecastScope = {
        tenantId: requireTenantId(),
        reportingCurrency: currency,
        start: period.start,
        end: period.end,
        today: now.toISOString().slice(0, 10),
        commitThreshold,
        owners,
      };
      const teamIds = visibleTeams(scope, query);
      const { owners: ownerRows, teams: teamRows } = await this.forecast.sums(manager, forecastScope, teamIds);
      const quotas = await this.forecast.quotas(manager, forecastScope, period.key);

      const ownerFigures = group(ownerRows);
      const userQuotas = new Map(quotas.filter((quota) => quota.subjectKind === 'user').map((quota) => [quota.subjectId, quota.converted]));
      for (const [ownerId, quota] of userQuotas) {
        if (owners && !owners.includes(ownerId)) continue;
        const figures = ownerFigures.get(ownerId) ?? emptyFigures();
        figures.quota = quota;
        ownerFigures.set(ownerId, figures);
      }
      const teamFigures = group(teamRows);
      for (const quota of quotas.filter((candidate) => candidate.subjectKind === 'team')) {
        if (teamIds && !teamIds.includes(quota.subjectId)) continue;
        const figures = teamFigures.get(quota.subjectId) ?? emptyFigures();
        figures.quota = quota.converted;
        teamFigures.set(quota.subjectId, figures);
      }

      const names = await this.names(manager, [...ownerFigures.keys()]);
      const ownersDto: OwnerForecastDto[] = [...ownerFigures.entries()]
        .map(([ownerId, figures]) => ({ ownerId, ownerName: names.get(ownerId) ?? null, ...toFiguresDto(figures, currency) }))
        .sort((a, b) => (a.ownerName ?? '').localeCompare(b.ownerName ?? '') || a.ownerId.localeCompare(b.ownerId));
      const teamsDto: TeamForecastDto[] = [...teamFigures.entries()].map(([teamId, figures]) => ({ teamId, ...toFiguresDto(figures, currency) })).sort((a, b) => a.teamId.localeCompare(b.teamId));
      const total = [...ownerFigures.values()].reduce((sum, figures) => add(sum, figures), { ...emptyFigures(), quota: null as bigint | null });

      return {
        period: period.key,
        from: period.start,
        to: period.end,
        currency,
        commitThreshold,
        owners: ownersDto,
        teams: teamsDto,
        total: toFiguresDto(total, currency),
      };
    });
  }

  private async names(manager: EntityManager, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, name FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [requireTenantId(), [...userIds]]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

/**
 * Teams whose figures the caller may see whole: an admin every team (null), a manager their own teams,
 * a rep none; `teamId` narrows to that team (if visible), `ownerId` alone to no team.
 */
function visibleTeams(scope: OwnershipScope, query: ForecastQueryDto): string[] | null {
  const visible = scope.kind === 'tenant' ? null : scope.kind === 'team' ? [...scope.teamIds] : [];
  if (query.ownerId && !query.teamId) return [];
  if (!query.teamId) return visible;
  return visible === null || visible.includes(query.teamId) ? [query.teamId] : [];
}

function emptyFigures(): Figures {
  return { quota: null, closedWon: 0n, commit: 0n, bestCase: 0n, pipeline: 0n, unconverted: new Map() };
}

/** Folds the per (group, bucket, currency) sums into one Figures per group. */
function group(rows: readonly ForecastRow[]): Map<string, Figures> {
  const byGroup = new Map<string, Figures>();
  for (const row of rows) {
    const figures = byGroup.get(row.groupId) ?? emptyFigures();
    byGroup.set(row.groupId, figures);
    if (row.bucket === 'won') figures.closedWon += row.amount;
    else {
      if (row.bucket === 'commit') figures.commit += row.amount;
      figures.bestCase += row.amount;
      figures.pipeline += row.weighted;
    }
    if (row.unconverted !== 0n) figures.unconverted.set(row.currency, (figures.unconverted.get(row.currency) ?? 0n) + row.unconverted);
  }
  return byGroup;
}

function add(sum: Figures, figures: Figures): Figures {
  const unconverted = new Map(sum.unconverted);
  for (const [currency, amount] of figures.unconverted) unconverted.set(currency, (unconverted.get(currency) ?? 0n) + amount);
  return {
    quota: figures.quota === null ? sum.quota : (sum.quota ?? 0n) + figures.quota,
    closedWon: sum.closedWon + figures.closedWon,
    commit: sum.commit + figures.commit,
    bestCase: sum.bestCase + figures.bestCase,
    pipeline: sum.pipeline + figures.pipeline,
    unconverted,
  };
}

function ratio(value: bigint, quota: bigint | null): number | null {
  if (quota === null || quota === 0n) return null;
  return Math.round((Number(value) / Number(quota)) * 10_000) / 10_000;
}

function toFiguresDto(figures: Figures, currency: string): ForecastFiguresDto {
  const commitForecast = figures.closedWon + figures.commit;
  return {
    quota: figures.quota === null ? null : toMoney(figures.quota, currency),
    closedWon: toMoney(figures.closedWon, currency),
    commit: toMoney(figures.commit, currency),
    bestCase: toMoney(figures.bestCase, currency),
    pipeline: toMoney(figures.pipeline, currency),
    commitForecast: toMoney(commitForecast, currency),
    bestCaseForecast: toMoney(figures.closedWon + figures.bestCase, currency),
    attainment: ratio(figures.closedWon, figures.quota),
    commitAttainment: ratio(commitForecast, figures.quota),
    unconverted: [...figures.unconverted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, amount]) => toMoney(amount, code)),
  };
}
