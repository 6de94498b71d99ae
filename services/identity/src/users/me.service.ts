import { Injectable } from '@nestjs/common';
import { hasPermission, PERMISSIONS, principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { TeamsRepository } from '../teams/teams.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import type { MeDto } from './dto/me.dto';
import { UserNotFoundError } from './user.errors';
import { toUserDto } from './user.mapper';
import { UsersRepository } from './users.repository';

/** Everything a client needs after sign-in to set itself up: who, where, with which rights. */
@Injectable()
export class MeService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly users: UsersRepository,
    private readonly teams: TeamsRepository,
    private readonly tenants: TenantsRepository,
  ) {}

  me(): Promise<MeDto> {
    const caller = principal();
    return this.transactions.run(async (manager) => {
      const user = await this.users.findById(manager, caller.userId);
      const tenant = await this.tenants.findById(manager, caller.tenantId);
      if (!user || !tenant) throw new UserNotFoundError(caller.userId);
      const teams = await this.teams.ofMember(manager, user.id);
      return {
        user: toUserDto(user, teams.map((team) => team.id)),
        tenant: { id: tenant.id, name: tenant.name },
        roles: [...caller.roles],
        permissions: PERMISSIONS.filter((permission) => hasPermission(caller.roles, permission)),
        teams: teams.map((team) => ({ id: team.id, name: team.name, managerId: team.managerId, manages: team.managerId === user.id })),
      };
    });
  }
}
