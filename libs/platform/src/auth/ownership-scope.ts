import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { currentContext } from '../database/request-context';
import { UnauthenticatedError } from '../errors/auth-errors';

/**
 * Which of the tenant's owned records a caller may see and edit: an admin the whole tenant, a manager
 * what the members of their teams own, everyone else their own. The tenant itself is the repository's
 * filter (and row-level security's); this narrows within it.
 */
export type OwnershipScope =
  | { kind: 'tenant' }
  | { kind: 'team'; userId: string; teamIds: readonly string[] }
  | { kind: 'own'; userId: string };

/** Who is asking: a Principal or a RequestContext both fit. */
export interface ScopeSubject {
  userId?: string;
  roles: readonly string[];
  teamIds: readonly string[];
}

/** The scope of the current request's user (or of `subject`); throws UnauthenticatedError without one. */
export function ownershipScope(subject: ScopeSubject | undefined = currentContext()): OwnershipScope {
  if (!subject?.userId) throw new UnauthenticatedError();
  if (subject.roles.includes('admin')) return { kind: 'tenant' };
  // A team's manager is always one of its members, so `teamIds` are exactly the teams they manage or sit in.
  if (subject.roles.includes('manager')) return { kind: 'team', userId: subject.userId, teamIds: subject.teamIds };
  return { kind: 'own', userId: subject.userId };
}

export interface OwnershipScopeOptions {
  /** The owner's user id in the query, e.g. `c.ownerId` or `c.owner_id`; `<main alias>.ownerId` when absent. */
  ownerColumn?: string;
  /**
   * SQL selecting the user ids of the members of the teams bound to `teamIdsParam` (a uuid array
   * parameter), from the service's own tables or its read model of identity's teams, e.g.
   * `(p) => 'SELECT tm.user_id FROM team_members tm WHERE tm.team_id = ANY(' + p + ')'`.
   */
  teamMembersSql: (teamIdsParam: string) => string;
  /** The scope to apply; the current request's when absent. */
  scope?: OwnershipScope;
}

/**
 * Narrows a query to the records the caller may see: nothing for an admin, `owner = me` for most
 * roles, `owner = me or owner in my teams' members` for a manager. Out-of-scope records then look
 * exactly like missing ones, which is what lets services answer them with 404.
 */
export function applyOwnershipScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, options: OwnershipScopeOptions): SelectQueryBuilder<T> {
  const scope = options.scope ?? ownershipScope();
  const owner = options.ownerColumn ?? `${qb.alias}.ownerId`;
  switch (scope.kind) {
    case 'tenant':
      return qb;
    case 'own':
      return qb.andWhere(`${owner} = :ownershipUserId`, { ownershipUserId: scope.userId });
    case 'team':
      return qb.andWhere(`(${owner} = :ownershipUserId OR ${owner} IN (${options.teamMembersSql(':ownershipTeamIds')}))`, {
        ownershipUserId: scope.userId,
        ownershipTeamIds: [...scope.teamIds],
      });
  }
}

/**
 * The same rule for a record already loaded: `ownerTeamIds` are the teams its owner belongs to.
 * Unowned records are only in an admin's scope.
 */
export function isInScope(scope: OwnershipScope, ownerId: string | null | undefined, ownerTeamIds: readonly string[] = []): boolean {
  switch (scope.kind) {
    case 'tenant':
      return true;
    case 'own':
      return ownerId != null && ownerId === scope.userId;
    case 'team':
      return ownerId != null && (ownerId === scope.userId || ownerTeamIds.some((teamId) => scope.teamIds.includes(teamId)));
  }
}
