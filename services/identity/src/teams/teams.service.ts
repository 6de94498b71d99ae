import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { principal, type Principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { PermissionDeniedError } from '@crm/platform/errors';
import { AuditLog } from '../audit/audit-log';
import type { ClientInfo } from '../common/client-info';
import { UserEvents } from '../users/user-events';
import { UsersRepository } from '../users/users.repository';
import type { CreateTeamDto, TeamDto, UpdateTeamDto } from './dto/team.dto';
import { InvalidTeamManagerError, TeamNameTakenError, TeamNotFoundError, UnknownTeamMembersError } from './team.errors';
import { TeamEvents } from './team-events';
import type { TeamEntity } from './team.entity';
import { toTeamDto } from './team.mapper';
import { TeamMembersRepository } from './team-members.repository';
import { TeamsRepository, type TeamVisibility } from './teams.repository';
import { assertVersion, isUuid, type Page } from '@crm/platform/api';

const MANAGING_ROLES: readonly string[] = ['manager', 'admin'];

/**
 * Teams and their members. An admin manages every team; a manager creates teams they manage and
 * changes only those (not who manages them). Membership is part of each member's user record, so
 * every change also publishes the affected users.
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly teams: TeamsRepository,
    private readonly teamMembers: TeamMembersRepository,
    private readonly users: UsersRepository,
    private readonly teamEvents: TeamEvents,
    private readonly userEvents: UserEvents,
    private readonly audit: AuditLog,
  ) {}

  list(paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<TeamDto>> {
    const visibility = visibilityOf(principal());
    return this.transactions.run(async (manager) => {
      const page = await this.teams.page(manager, visibility, paging);
      const members = await this.teamMembers.memberIdsByTeam(manager, page.items.map((team) => team.id));
      return { ...page, items: page.items.map((team) => toTeamDto(team, members.get(team.id) ?? [])) };
    });
  }

  async create(input: CreateTeamDto, client: ClientInfo): Promise<TeamDto> {
    const caller = principal();
    const managerId = input.managerId ?? caller.userId;
    if (!isAdmin(caller) && managerId !== caller.userId) throw new PermissionDeniedError('Only an admin may create a team managed by someone else');
    return this.transactions.run(async (manager) => {
      await this.assertCanManage(manager, managerId);
      const memberIds = unique([...(input.memberIds ?? []), managerId]);
      await this.assertActiveUsers(manager, memberIds);
      const now = new Date();
      const team = this.teams.create(manager, { id: randomUUID(), name: input.name, managerId, version: 1, createdAt: now, updatedAt: now });
      await this.saveUnique(manager, team);
      await this.teamMembers.add(manager, team.id, memberIds);
      await this.publishMembers(manager, memberIds);
      await this.teamEvents.publish(manager, 'created', team, memberIds);
      await this.audit.record(manager, {
        tenantId: team.tenantId,
        actorId: caller.userId,
        action: 'team.created',
        target: { type: 'team', id: team.id },
        client,
        details: { name: team.name, managerId, memberIds },
      });
      return toTeamDto(team, memberIds);
    });
  }

  async update(id: string, changes: UpdateTeamDto, expectedVersion: number | undefined, client: ClientInfo): Promise<TeamDto> {
    const caller = principal();
    return this.transactions.run(async (manager) => {
      const team = isUuid(id) ? await this.teams.findVisible(manager, id, visibilityOf(caller), { lock: true }) : null;
      if (!team) throw new TeamNotFoundError(id);
      if (!isAdmin(caller) && team.managerId !== caller.userId) throw new PermissionDeniedError("Only the team's manager or an admin may change it");
      const newManagerId = changes.managerId ?? team.managerId;
      if (!isAdmin(caller) && newManagerId !== team.managerId) throw new PermissionDeniedError('Only an admin may hand a team to another manager');
      assertVersion(expectedVersion, team.version);

      const current = (await this.teamMembers.memberIdsByTeam(manager, [team.id])).get(team.id) ?? [];
      const desired = unique([...(changes.memberIds ?? current), newManagerId]);
      const added = desired.filter((userId) => !current.includes(userId));
      const removed = current.filter((userId) => !desired.includes(userId));
      const renamed = changes.name !== undefined && changes.name !== team.name;
      const managerChanged = newManagerId !== team.managerId;
      if (!renamed && !managerChanged && added.length === 0 && removed.length === 0) return toTeamDto(team, current);

      if (managerChanged) await this.assertCanManage(manager, newManagerId);
      await this.assertActiveUsers(manager, added);
      const before = { name: team.name, managerId: team.managerId };
      team.name = changes.name ?? team.name;
      team.managerId = newManagerId;
      team.version += 1;
      team.updatedAt = new Date();
      await this.saveUnique(manager, team);
      await this.teamMembers.remove(manager, team.id, removed);
      await this.teamMembers.add(manager, team.id, added);
      await this.publishMembers(manager, [...added, ...removed]);
      await this.teamEvents.publish(manager, 'updated', team, desired);
      await this.audit.record(manager, {
        tenantId: team.tenantId,
        actorId: caller.userId,
        action: 'team.updated',
        target: { type: 'team', id: team.id },
        client,
        details: {
          ...(renamed ? { name: { from: before.name, to: team.name } } : {}),
          ...(managerChanged ? { managerId: { from: before.managerId, to: team.managerId } } : {}),
          addedMemberIds: added,
          removedMemberIds: removed,
        },
      });
      return toTeamDto(team, desired);
    });
  }

  private async assertCanManage(manager: EntityManager, userId: string): Promise<void> {
    const user = await this.users.findById(manager, userId);
    if (!user?.active || !user.roles.some((role) => MANAGING_ROLES.includes(role))) throw new InvalidTeamManagerError(userId);
  }

  private async assertActiveUsers(manager: EntityManager, userIds: readonly string[]): Promise<void> {
    const found = await this.users.findByIds(manager, userIds);
    const active = new Set(found.filter((user) => user.active).map((user) => user.id));
    const missing = userIds.filter((userId) => !active.has(userId));
    if (missing.length > 0) throw new UnknownTeamMembersError(missing);
  }

  /** Members who joined or left: their user record (team ids) changed, so it gets a new version and event. */
  private async publishMembers(manager: EntityManager, userIds: readonly string[]): Promise<void> {
    const users = await this.users.touch(manager, userIds);
    const teams = await this.teamMembers.teamIdsByUser(manager, userIds);
    for (const user of users) await this.userEvents.publish(manager, 'updated', user, teams.get(user.id) ?? []);
  }

  private async saveUnique(manager: EntityManager, team: TeamEntity): Promise<void> {
    try {
      await this.teams.save(manager, team);
    } catch (error) {
      if (isUniqueViolation(error, 'teams_tenant_name_key')) throw new TeamNameTakenError(team.name);
      throw error;
    }
  }
}

function isAdmin(caller: Principal): boolean {
  return caller.roles.includes('admin');
}

function visibilityOf(caller: Principal): TeamVisibility {
  return isAdmin(caller) ? { kind: 'tenant' } : { kind: 'member', userId: caller.userId };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
