import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantEntity } from './tenant.entity';

/**
 * The tenant registry. Not tenant-owned (a tenant row is the tenant), so not a TenantScopedRepository:
 * callers pass the id they are entitled to, which is the tenant of their transaction.
 */
@Injectable()
export class TenantsRepository {
  findById(manager: EntityManager, id: string): Promise<TenantEntity | null> {
    return manager.getRepository(TenantEntity).findOneBy({ id });
  }

  async insert(manager: EntityManager, tenant: TenantEntity): Promise<void> {
    await manager.getRepository(TenantEntity).insert(tenant);
  }

  /** Whether the installation has any tenant yet (the embedded first start creates one). */
  async anyExists(manager: EntityManager): Promise<boolean> {
    return (await manager.getRepository(TenantEntity).count({ take: 1 })) > 0;
  }
}
