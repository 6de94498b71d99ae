import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid, toMoney } from '@crm/platform/api';
import { ownershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantTransactions } from '@crm/platform/database';
import { ValidationFailedError } from '@crm/platform/errors';
import { CurrencyConverter } from '../exchange-rates/currency-converter';
import { PipelineNotFoundError } from '../pipelines/pipeline.errors';
import { WON_STAGE } from '../pipelines/pipeline.model';
import { PipelinesRepository } from '../pipelines/pipelines.repository';
import type { FunnelQueryDto, FunnelReportDto, FunnelStageDto } from './dto/funnel.dto';
import { FunnelRepository, type FunnelCohort, type FunnelSums, type StageReachRow } from './funnel.repository';
import { ReportOwners } from './report-owners';

const DAY_MS = 86_400_000;

/**
 * The funnel of one pipeline for the opportunities opened in [from, to) (the cohort), in the caller's
 * ownership scope. Per stage: the cohort's opportunities in it now (count, amount, weighted amount), how
 * many ever entered it and how many of those later reached a later stage or were won (conversion), and
 * the average days spent in it; overall the win rate (won / closed) and average cycle (opened → won).
 */
@Injectable()
export class FunnelService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly pipelines: PipelinesRepository,
    private readonly funnel: FunnelRepository,
    private readonly owners: ReportOwners,
    private readonly converter: CurrencyConverter,
  ) {}

  async report(query: FunnelQueryDto, now: Date = new Date()): Promise<FunnelReportDto> {
    const scope = ownershipScope();
    const from = query.from ? new Date(query.from) : null;
    const to = query.to ? new Date(query.to) : null;
    if (from && to && from >= to) throw new ValidationFailedError([{ field: 'to', message: 'to must be later than from' }]);
    return this.transactions.run(async (manager) => {
      const pipeline = query.pipelineId
        ? isUuid(query.pipelineId)
          ? await this.pipelines.findById(manager, query.pipelineId)
          : null
        : await this.pipelines.ensureDefault(manager);
      if (!pipeline) throw new PipelineNotFoundError(query.pipelineId ?? '');
      const owners = await this.owners.resolve(manager, scope, query);
      const cohort: FunnelCohort = { tenantId: requireTenantId(), pipelineId: pipeline.id, from, to, owners };
      const currency = await this.converter.reportingCurrency(manager);
      const sums = await this.sums(manager, cohort, currency, now.toISOString().slice(0, 10));
      const snapshot = sums.snapshot;
      const reach = new Map<string, StageReachRow>();
      for (const row of sums.reach) {
        const known = reach.get(row.stage);
        reach.set(
          row.stage,
          known
            ? { stage: row.stage, entered: known.entered + row.entered, advanced: known.advanced + row.advanced, leftCount: known.leftCount + row.leftCount, leftMs: known.leftMs + row.leftMs }
            : row,
        );
      }
      const wonRows = snapshot.filter((row) => row.stage === WON_STAGE);
      const wonCount = wonRows.reduce((sum, row) => sum + row.count, 0);
      const cycleSeconds = wonCount > 0 ? wonRows.reduce((sum, row) => sum + row.cycleSeconds, 0) / wonCount : null;

      const stages: FunnelStageDto[] = pipeline.stages.map((stage) => {
        const rows = snapshot.filter((row) => row.stage === stage.key);
        const count = rows.reduce((sum, row) => sum + row.count, 0);
        const amount = rows.reduce((sum, row) => sum + (row.convertedMicros ?? 0n), 0n);
        const unconvertedByCurrency = new Map<string, bigint>();
        for (const row of rows) if (row.convertedMicros === null) unconvertedByCurrency.set(row.currency, (unconvertedByCurrency.get(row.currency) ?? 0n) + row.amountMicros);
        const unconverted = [...unconvertedByCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, micros]) => toMoney(micros, code));
        const reached = reach.get(stage.key);
        const open = stage.kind === 'open';
        const entered = open ? (reached?.entered ?? 0) : count;
        const advanced = open ? (reached?.advanced ?? 0) : 0;
        return {
          key: stage.key,
          name: stage.name,
          kind: stage.kind,
          probability: stage.probability,
          count,
          amount: toMoney(amount, currency),
          weightedAmount: toMoney((amount * BigInt(stage.probability)) / 100n, currency),
          unconverted,
          entered,
          advanced,
          conversionRate: open && entered > 0 ? round(advanced / entered, 4) : null,
          averageDaysInStage: open && reached && reached.leftCount > 0 ? round(Number(reached.leftMs) / reached.leftCount / DAY_MS, 3) : null,
        };
      });
      const won = stages.find((stage) => stage.kind === 'won')?.count ?? 0;
      const lost = stages.find((stage) => stage.kind === 'lost')?.count ?? 0;
      return {
        pipelineId: pipeline.id,
        from: from?.toISOString() ?? null,
        to: to?.toISOString() ?? null,
        currency,
        opened: stages.reduce((sum, stage) => sum + stage.count, 0),
        stages,
        winRate: won + lost > 0 ? round(won / (won + lost), 4) : null,
        averageCycleDays: cycleSeconds === null ? null : round(cycleSeconds / 86_400, 3),
      };
    });
  }

  /**
   * The cohort's sums: whole UTC days come from the roll-up (its rows of the cohort's owners, or its
   * all-owner rows), only the partial days at either end from the base tables.
   */
  private async sums(manager: EntityManager, cohort: FunnelCohort, currency: string, rateDate: string): Promise<FunnelSums> {
    const firstWholeDay = cohort.from ? ceilToDay(cohort.from) : null;
    const endOfWholeDays = cohort.to ? floorToDay(cohort.to) : null;
    if (firstWholeDay && endOfWholeDays && firstWholeDay >= endOfWholeDays) return this.funnel.raw(manager, cohort, currency, rateDate);
    const parts: FunnelSums[] = [
      await this.funnel.rollup(
        manager,
        {
          tenantId: cohort.tenantId,
          pipelineId: cohort.pipelineId,
          fromDay: firstWholeDay && dayOf(firstWholeDay),
          toDay: endOfWholeDays && dayOf(endOfWholeDays),
          owners: cohort.owners,
        },
        currency,
        rateDate,
      ),
    ];
    if (cohort.from && firstWholeDay && cohort.from < firstWholeDay) parts.push(await this.funnel.raw(manager, { ...cohort, to: firstWholeDay }, currency, rateDate));
    if (cohort.to && endOfWholeDays && endOfWholeDays < cohort.to) parts.push(await this.funnel.raw(manager, { ...cohort, from: endOfWholeDays }, currency, rateDate));
    return { snapshot: parts.flatMap((part) => part.snapshot), reach: parts.flatMap((part) => part.reach) };
  }
}

function floorToDay(time: Date): Date {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
}

function ceilToDay(time: Date): Date {
  return new Date(Math.ceil(time.getTime() / DAY_MS) * DAY_MS);
}

function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
