import type { EntityManager } from 'typeorm';
import type { UserSnapshot } from './user-snapshot';

/*
 * A service's local copy of identity's users: `users (id, tenant_id, name, active, roles, seniority,
 * team_ids, version, updated_at)` and `user_team_members (team_id, user_id, tenant_id)`, created by the
 * service's own migration. The memberships are kept by team as well because a btree answers
 * `team_id = ANY($1)` under row-level security (uuid equality is leakproof; array overlap is not).
 */

/**
 * Stores the snapshot unless the read model already has this version or a newer one (events can be
 * redelivered or, across a rebalance, arrive late). Returns whether it was applied. The caller's
 * transaction must have the tenant set.
 */
export async function applyUserSnapshot(manager: EntityManager, user: UserSnapshot): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO users (id, tenant_id, name, active, roles, seniority, team_ids, version, updated_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::uuid[], $8, now())
     ON CONFLICT (id) DO UPDATE
       SET name = EXCLUDED.name, active = EXCLUDED.active, roles = EXCLUDED.roles, seniority = EXCLUDED.seniority,
           team_ids = EXCLUDED.team_ids, version = EXCLUDED.version, updated_at = now()
       WHERE users.version < EXCLUDED.version AND users.tenant_id = EXCLUDED.tenant_id
     RETURNING id`,
    [user.userId, user.tenantId, user.name, user.active, [...user.roles], user.seniority, [...user.teamIds], user.version],
  );
  if (rows.length === 0) return false;
  await manager.query(`DELETE FROM user_team_members WHERE user_id = $1`, [user.userId]);
  await manager.query(`INSERT INTO user_team_members (team_id, user_id, tenant_id) SELECT DISTINCT unnest($1::uuid[]), $2::uuid, $3::uuid`, [
    [...user.teamIds],
    user.userId,
    user.tenantId,
  ]);
  return true;
}

/**
 * SQL for the platform's ownership scope (`applyOwnershipScope`'s teamMembersSql): the members, as the
 * read model knows them, of the teams bound to `teamIdsParam` (a uuid array parameter).
 */
export function teamMembersSql(teamIdsParam: string): string {
  return `SELECT scope_tm.user_id FROM user_team_members scope_tm WHERE scope_tm.team_id = ANY(${teamIdsParam})`;
}
