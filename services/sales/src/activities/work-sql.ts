import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { decodeCursor, encodeCursor, type CursorPosition, type Page } from '@crm/platform/api';

/*
 * Raw-SQL helpers the work areas (activities, plans, handovers, partners, templates) share: the
 * ownership scope as a SQL condition and keyset pagination over (time, id), the same rules as the
 * platform's applyOwnershipScope and fetchPage, for queries written in SQL rather than TypeORM.
 */

/** Appends `value` to `params` and returns its placeholder (`$n`). */
export function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/**
 * The records of `ownerColumn` the scope lets the caller see: all for an admin, their own for a rep, their
 * own and their teams' members' for a manager (members as the users read model knows them).
 */
export function scopeCondition(scope: OwnershipScope, ownerColumn: string, params: unknown[]): string {
  switch (scope.kind) {
    case 'tenant':
      return 'TRUE';
    case 'own':
      return `${ownerColumn} = ${param(params, scope.userId)}`;
    case 'team': {
      const user = param(params, scope.userId);
      const teams = param(params, [...scope.teamIds]);
      return `(${ownerColumn} = ${user} OR ${ownerColumn} IN (SELECT scope_tm.user_id FROM user_team_members scope_tm WHERE scope_tm.team_id = ANY(${teams}::uuid[])))`;
    }
  }
}

/** Whether `userId`'s records are in the scope (the owner a caller may give work to, or report on). */
export async function userInScope(manager: EntityManager, scope: OwnershipScope, tenantId: string, userId: string): Promise<boolean> {
  switch (scope.kind) {
    case 'tenant':
      return true;
    case 'own':
      return scope.userId === userId;
    case 'team': {
      if (scope.userId === userId) return true;
      const rows: unknown[] = await manager.query(`SELECT 1 FROM user_team_members WHERE tenant_id = $1 AND user_id = $2 AND team_id = ANY($3::uuid[]) LIMIT 1`, [
        tenantId,
        userId,
        [...scope.teamIds],
      ]);
      return rows.length > 0;
    }
  }
}

export interface RawPageQuery {
  /** `SELECT … FROM …` without WHERE, ORDER BY or LIMIT. */
  select: string;
  /** Conditions, ANDed; placeholders refer to `params`. */
  where: string[];
  params: unknown[];
  /** Sort time and id columns as the query names them, e.g. `a.created_at`, `a.id`. */
  timeColumn: string;
  idColumn: string;
  limit: number;
  cursor?: string;
  total?: boolean;
}

/** Newest first keyset page over (time, id); `position` reads the sort key of a row. */
export async function rawPage<R>(manager: EntityManager, query: RawPageQuery, position: (row: R) => CursorPosition): Promise<Page<R>> {
  const params = [...query.params];
  const where = [...query.where];
  const whereSql = (conditions: string[]): string => (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '');
  let total: number | undefined;
  if (query.total) {
    const counted: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM (${query.select}${whereSql(where)}) counted`, params);
    total = Number(counted[0].count);
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    where.push(`(${query.timeColumn}, ${query.idColumn}) < (${param(params, after.at)}, ${param(params, after.id)})`);
  }
  const rows: R[] = await manager.query(
    `${query.select}${whereSql(where)} ORDER BY ${query.timeColumn} DESC, ${query.idColumn} DESC LIMIT ${param(params, query.limit + 1)}`,
    params,
  );
  const items = rows.slice(0, query.limit);
  const nextCursor = rows.length > query.limit ? encodeCursor(position(items[items.length - 1])) : null;
  return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
}
