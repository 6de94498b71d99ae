import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { requireTenantId } from '@crm/platform/database';
import { ValidationFailedError } from '@crm/platform/errors';

/** `?ownerId` or `?teamId` of a report (at most one). */
export interface OwnerSelection {
  ownerId?: string;
  teamId?: string;
}

/**
 * Whose opportunities a report covers: the owners the caller asked for (one owner, or a team's members)
 * narrowed to the caller's ownership scope (rep: themself, manager: themself and their teams' members,
 * admin: anyone). Null means every owner of the tenant (an admin who asked for no one in particular).
 */
@Injectable()
export class ReportOwners {
  async resolve(manager: EntityManager, scope: OwnershipScope, selection: OwnerSelection): Promise<string[] | null> {
    if (selection.ownerId && selection.teamId) throw new ValidationFailedError([{ field: 'teamId', message: 'Give ownerId or teamId, not both' }]);
    let owners: string[] | null = null;
    if (selection.ownerId) owners = [selection.ownerId];
    else if (selection.teamId) owners = await this.members(manager, [selection.teamId]);
    switch (scope.kind) {
      case 'tenant':
        return owners;
      case 'own':
        return owners ? owners.filter((id) => id === scope.userId) : [scope.userId];
      case 'team': {
        const allowed = new Set([scope.userId, ...(await this.members(manager, scope.teamIds))]);
        return owners ? owners.filter((id) => allowed.has(id)) : [...allowed];
      }
    }
  }

  /** Members of the teams, from the users read model. */
  async members(manager: EntityManager, teamIds: readonly string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const rows: Array<{ user_id: string }> = await manager.query(`SELECT DISTINCT user_id FROM user_team_members WHERE tenant_id = $1 AND team_id = ANY($2::uuid[])`, [
      requireTenantId(),
      [...teamIds],
    ]);
    return rows.map((row) => row.user_id);
  }
}
