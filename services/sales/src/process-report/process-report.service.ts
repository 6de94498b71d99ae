import { Injectable } from '@nestjs/common';
import { ownershipScope } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { ValidationFailedError } from '@crm/platform/errors';
import { ReportOwners } from '../funnel/report-owners';
import type { ProcessFiguresDto, ProcessReportDto, ProcessReportQueryDto, RepProcessDto } from './dto/process-report.dto';
import { ProcessReportRepository } from './process-report.repository';

/**
 * The process report per rep and for the reps together: what they did (logged activities by kind and by
 * the stage of the opportunity they were about), tasks done and overdue, and plan completion. Reps are
 * the caller's scope narrowed by ownerId or teamId, as in every sales report.
 */
@Injectable()
export class ProcessReportService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly owners: ReportOwners,
    private readonly report: ProcessReportRepository,
  ) {}

  process(query: ProcessReportQueryDto): Promise<ProcessReportDto> {
    const scope = ownershipScope();
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (from >= to) throw new ValidationFailedError([{ field: 'to', message: 'to must be later than from' }]);
    return this.transactions.run(async (manager) => {
      const owners = await this.owners.resolve(manager, scope, { ownerId: query.ownerId?.toLowerCase(), teamId: query.teamId?.toLowerCase() });
      const range = { from, to, owners, planPeriodType: query.planPeriodType };
      // One connection per transaction: the queries run one after the other.
      const reps = await this.report.reps(manager, owners);
      const byKind = await this.report.activitiesByKind(manager, range);
      const byStage = await this.report.activitiesByStage(manager, range);
      const tasks = await this.report.tasks(manager, range);
      const plans = await this.report.plans(manager, range);
      const figures = new Map<string, ProcessFiguresDto>(reps.map((rep) => [rep.id, emptyFigures()]));
      const of = (ownerId: string): ProcessFiguresDto | undefined => figures.get(ownerId);
      for (const row of byKind) {
        const target = of(row.owner_id);
        if (!target) continue;
        target.activitiesByKind.push({ kind: row.kind, count: Number(row.count) });
        target.activities += Number(row.count);
      }
      for (const row of byStage) of(row.owner_id)?.activitiesByStage.push({ pipelineId: row.pipeline_id, stage: row.stage, stageName: row.stage_name, count: Number(row.count) });
      for (const row of tasks) {
        const target = of(row.owner_id);
        if (!target) continue;
        target.tasksDone = Number(row.done);
        target.tasksOverdue = Number(row.overdue);
      }
      for (const row of plans) {
        const target = of(row.owner_id);
        if (!target) continue;
        target.planTarget = Number(row.target);
        target.planDone = Number(row.done);
        target.planCompletion = percent(target.planDone, target.planTarget);
      }
      const repDtos: RepProcessDto[] = reps.map((rep) => ({ ownerId: rep.id, name: rep.name, ...sorted(figures.get(rep.id) ?? emptyFigures()) }));
      return { from: from.toISOString(), to: to.toISOString(), reps: repDtos, total: sorted(totalOf(repDtos)) };
    });
  }
}

function emptyFigures(): ProcessFiguresDto {
  return { activities: 0, activitiesByKind: [], activitiesByStage: [], tasksDone: 0, tasksOverdue: 0, planTarget: 0, planDone: 0, planCompletion: null };
}

function percent(done: number, target: number): number | null {
  return target === 0 ? null : Math.round((done / target) * 1000) / 10;
}

/** Kinds by count (then name); stages keep the pipeline's order from SQL. */
function sorted(figures: ProcessFiguresDto): ProcessFiguresDto {
  return { ...figures, activitiesByKind: [...figures.activitiesByKind].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)) };
}

/** The reps' figures added up (the per-rep rows are few; the grouping itself happened in SQL). */
function totalOf(reps: readonly ProcessFiguresDto[]): ProcessFiguresDto {
  const total = emptyFigures();
  const kinds = new Map<string, number>();
  const stages = new Map<string, ProcessFiguresDto['activitiesByStage'][number]>();
  for (const rep of reps) {
    total.activities += rep.activities;
    total.tasksDone += rep.tasksDone;
    total.tasksOverdue += rep.tasksOverdue;
    total.planTarget += rep.planTarget;
    total.planDone += rep.planDone;
    for (const entry of rep.activitiesByKind) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + entry.count);
    for (const entry of rep.activitiesByStage) {
      const key = `${entry.pipelineId}/${entry.stage}`;
      const existing = stages.get(key);
      if (existing) existing.count += entry.count;
      else stages.set(key, { ...entry });
    }
  }
  total.activitiesByKind = [...kinds.entries()].map(([kind, count]) => ({ kind, count }));
  total.activitiesByStage = [...stages.values()];
  total.planCompletion = percent(total.planDone, total.planTarget);
  return total;
}
