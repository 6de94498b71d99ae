import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UsersService, type Actor } from '../users/users.service';
import type { UserEntity } from '../users/user.entity';
import { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

export interface NewTenant {
  tenantId: string;
  tenantName: string;
  admin: { id?: string; name: string; email: string; passwordHash: string };
}

/** A new tenant and its first user, an admin: what signup and the embedded first start both do. */
@Injectable()
export class TenantOnboarding {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersService,
  ) {}

  /** Runs inside `TenantTransactions.runForTenant(input.tenantId, ...)`, so the rows land in the new tenant. */
  async createTenantWithAdmin(manager: EntityManager, input: NewTenant, actor: Actor): Promise<{ tenant: TenantEntity; admin: UserEntity }> {
    const tenant = Object.assign(new TenantEntity(), { id: input.tenantId, name: input.tenantName, createdAt: new Date() });
    await this.tenants.insert(manager, tenant);
    const admin = await this.users.createInTransaction(manager, { ...input.admin, roles: ['admin'] }, actor);
    return { tenant, admin };
  }
}
