import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { TeamMemberEntity } from './team-member.entity';

/** SQL for the platform's ownership scope: the members of the teams bound to `teamIdsParam`. */
export function teamMembersSql(teamIdsParam: string): string {
  return `SELECT tm.user_id FROM team_members tm WHERE tm.team_id = ANY(${teamIdsParam})`;
}

@Injectable()
export class TeamMembersRepository extends TenantScopedRepository<TeamMemberEntity> {
  constructor() {
    super(TeamMemberEntity);
  }

  /** The teams one user belongs to (their token's `teams` claim). */
  async teamIdsOf(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = await this.findScoped(manager, { where: { userId }, order: { teamId: 'ASC' } });
    return rows.map((row) => row.teamId);
  }

  /** Team ids per user, for a page of users. */
  async teamIdsByUser(manager: EntityManager, userIds: readonly string[]): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return byUser;
    const rows = await this.findScoped(manager, { where: { userId: In([...userIds]) }, order: { teamId: 'ASC' } });
    for (const row of rows) byUser.get(row.userId)?.push(row.teamId);
    return byUser;
  }

  /** Member ids per team, for a page of teams. */
  async memberIdsByTeam(manager: EntityManager, teamIds: readonly string[]): Promise<Map<string, string[]>> {
    const byTeam = new Map<string, string[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return byTeam;
    const rows = await this.findScoped(manager, { where: { teamId: In([...teamIds]) }, order: { userId: 'ASC' } });
    for (const row of rows) byTeam.get(row.teamId)?.push(row.userId);
    return byTeam;
  }

  async add(manager: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.repository(manager).insert(userIds.map((userId) => this.createScoped(manager, { teamId, userId })));
  }

  async remove(manager: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.repository(manager).delete(this.scoped({ teamId, userId: In([...userIds]) }));
  }
}
