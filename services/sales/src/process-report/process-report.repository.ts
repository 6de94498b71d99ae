import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import { itemDoneSql } from '../plans/plan-period';

export interface ReportRange {
  from: Date;
  to: Date;
  /** Owners covered; null for every user of the tenant. */
  owners: string[] | null;
  planPeriodType?: string;
}

/** `owner_id` is one of the covered owners (or anyone, for null). */
function ownerFilter(column: string, owners: string[] | null, index: number): string {
  return owners === null ? `$${index}::uuid[] IS NULL` : `${column} = ANY($${index}::uuid[])`;
}

/**
 * The process report's figures, one GROUP BY per kind of figure, all in PostgreSQL: logged activities by
 * owner and kind (and by the current stage of their opportunity), tasks done and overdue, and plan
 * completion. Each query reads only the covered owners' rows through a (tenant, owner, time) index.
 */
@Injectable()
export class ProcessReportRepository {
  reps(manager: EntityManager, owners: string[] | null): Promise<Array<{ id: string; name: string | null }>> {
    return manager.query(
      owners === null
        ? `SELECT id, name FROM users WHERE tenant_id = $1 ORDER BY name, id`
        : `SELECT o.id, u.name FROM unnest($2::uuid[]) AS o (id) LEFT JOIN users u ON u.id = o.id AND u.tenant_id = $1 ORDER BY u.name, o.id`,
      owners === null ? [requireTenantId()] : [requireTenantId(), owners],
    );
  }

  activitiesByKind(manager: EntityManager, range: ReportRange): Promise<Array<{ owner_id: string; kind: string; count: string }>> {
    return manager.query(
      `SELECT a.owner_id, a.kind, count(*) AS count
         FROM activities a
        WHERE a.tenant_id = $1 AND a.status = 'done' AND a.kind <> 'task' AND a.occurred_at >= $2 AND a.occurred_at < $3 AND ${ownerFilter('a.owner_id', range.owners, 4)}
        GROUP BY a.owner_id, a.kind`,
      this.params(range),
    );
  }

  /** Logged activities about an opportunity, by the opportunity's current stage (pipeline's stage names). */
  activitiesByStage(manager: EntityManager, range: ReportRange): Promise<Array<{ owner_id: string; pipeline_id: string; stage: string; stage_name: string | null; count: string }>> {
    return manager.query(
      `SELECT a.owner_id, o.pipeline_id, o.stage, min(s.name) AS stage_name, min(s.position) AS position, count(*) AS count
         FROM activities a
         JOIN opportunities o ON o.id = a.opportunity_id AND o.tenant_id = a.tenant_id
         LEFT JOIN pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage
        WHERE a.tenant_id = $1 AND a.status = 'done' AND a.kind <> 'task' AND a.opportunity_id IS NOT NULL
          AND a.occurred_at >= $2 AND a.occurred_at < $3 AND ${ownerFilter('a.owner_id', range.owners, 4)}
        GROUP BY a.owner_id, o.pipeline_id, o.stage
        ORDER BY o.pipeline_id, min(s.position), o.stage`,
      this.params(range),
    );
  }

  /**
   * Tasks completed in the range, and tasks due in the range (up to now) that were not done by their due
   * time: still open, or completed late.
   */
  tasks(manager: EntityManager, range: ReportRange): Promise<Array<{ owner_id: string; done: string; overdue: string }>> {
    return manager.query(
      `SELECT a.owner_id,
              count(*) FILTER (WHERE a.status = 'done' AND a.completed_at >= $2 AND a.completed_at < $3) AS done,
              count(*) FILTER (WHERE a.status <> 'cancelled' AND a.due_at >= $2 AND a.due_at < LEAST($3::timestamptz, now())
                                 AND (a.status = 'open' OR a.completed_at > a.due_at)) AS overdue
         FROM activities a
        WHERE a.tenant_id = $1 AND a.kind = 'task' AND ${ownerFilter('a.owner_id', range.owners, 4)}
          AND ((a.completed_at >= $2 AND a.completed_at < $3) OR (a.due_at >= $2 AND a.due_at < $3))
        GROUP BY a.owner_id`,
      this.params(range),
    );
  }

  /** Targets and done counts (capped at targets) of the plans starting in the range. */
  plans(manager: EntityManager, range: ReportRange): Promise<Array<{ owner_id: string; target: string; done: string }>> {
    const params = this.params(range);
    params.push(range.planPeriodType ?? null);
    return manager.query(
      `SELECT p.owner_id, sum(i.target_count) AS target, sum(LEAST(${itemDoneSql('i', 'p')}, i.target_count)) AS done
         FROM rep_plans p
         JOIN rep_plan_items i ON i.plan_id = p.id
        WHERE p.tenant_id = $1 AND p.period_start >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND p.period_start < ($3::timestamptz AT TIME ZONE 'UTC')::date
          AND ${ownerFilter('p.owner_id', range.owners, 4)} AND ($5::text IS NULL OR p.period_type = $5::text)
        GROUP BY p.owner_id`,
      params,
    );
  }

  private params(range: ReportRange): unknown[] {
    return [requireTenantId(), range.from, range.to, range.owners];
  }
}
