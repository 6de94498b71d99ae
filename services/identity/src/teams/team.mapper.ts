import type { TeamCreated } from '@crm/contracts';
import type { TeamDto } from './dto/team.dto';
import type { TeamEntity } from './team.entity';

export function toTeamDto(team: TeamEntity, memberIds: readonly string[]): TeamDto {
  return {
    id: team.id,
    name: team.name,
    managerId: team.managerId,
    memberIds: [...memberIds],
    version: team.version,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}

/** The fields both identity.team.v1 events carry. */
export type TeamSnapshot = Omit<TeamCreated, '$typeName'>;

export function toTeamSnapshot(team: TeamEntity, memberIds: readonly string[]): TeamSnapshot {
  return { tenantId: team.tenantId, teamId: team.id, name: team.name, managerId: team.managerId, memberIds: [...memberIds], version: BigInt(team.version) };
}
