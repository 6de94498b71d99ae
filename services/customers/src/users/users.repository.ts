import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { UserEntity } from './user.entity';

/**
 * SQL for the platform's ownership scope: the members, as the read model knows them, of the teams bound
 * to `teamIdsParam` (a uuid array parameter).
 */
export function teamMembersSql(teamIdsParam: string): string {
  return `SELECT scope_tm.user_id FROM user_team_members scope_tm WHERE scope_tm.team_id = ANY(${teamIdsParam})`;
}

/** A user as identity last described them. */
export interface UserSnapshot {
  tenantId: string;
  userId: string;
  name: string;
  active: boolean;
  teamIds: readonly string[];
  version: number;
}

@Injectable()
export class UsersRepository extends TenantScopedRepository<UserEntity> {
  constructor() {
    super(UserEntity);
  }

  findById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return this.findOneScoped(manager, { id });
  }

  /**
   * Stores the snapshot unless the read model already has this version or a newer one (events can be
   * redelivered or, across a rebalance, arrive late). Returns whether it was applied.
   */
  async apply(manager: EntityManager, user: UserSnapshot): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO users (id, tenant_id, name, active, team_ids, version, updated_at)
         VALUES ($1, $2, $3, $4, $5::uuid[], $6, now())
       ON CONFLICT (id) DO UPDATE
         SET name = EXCLUDED.name, active = EXCLUDED.active, team_ids = EXCLUDED.team_ids, version = EXCLUDED.version, updated_at = now()
         WHERE users.version < EXCLUDED.version AND users.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [user.userId, user.tenantId, user.name, user.active, [...user.teamIds], user.version],
    );
    if (rows.length === 0) return false;
    await manager.query(`DELETE FROM user_team_members WHERE user_id = $1`, [user.userId]);
    await manager.query(
      `INSERT INTO user_team_members (team_id, user_id, tenant_id) SELECT DISTINCT unnest($1::uuid[]), $2::uuid, $3::uuid`,
      [[...user.teamIds], user.userId, user.tenantId],
    );
    return true;
  }
}
