import type { EntityManager, FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { requireTenantId } from './request-context';

/**
 * Base for repositories of tenant-owned tables: every read and write is filtered by the tenant of
 * the current request, so a query cannot forget it. Row-level security in Postgres is the second wall
 * (see `withTenant`).
 */
export abstract class TenantScopedRepository<T extends ObjectLiteral & { tenantId: string }> {
  protected constructor(protected readonly repository: Repository<T>) {}

  protected scoped(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: requireTenantId() } as FindOptionsWhere<T>;
  }

  protected query(alias: string, manager?: EntityManager): SelectQueryBuilder<T> {
    const repository = manager ? manager.getRepository<T>(this.repository.target) : this.repository;
    return repository.createQueryBuilder(alias).where(`${alias}.tenantId = :tenantId`, { tenantId: requireTenantId() });
  }

  protected findOneScoped(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOne({ where: this.scoped(where) });
  }
}

/**
 * Sets the tenant for the rest of a transaction, read by row-level security policies
 * (`USING (tenant_id = current_setting('app.tenant_id', true))`).
 */
export async function withTenant(manager: EntityManager, tenantId: string = requireTenantId()): Promise<void> {
  await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
}

/** Migration helper: enables and forces row-level security on a table with a `tenant_id` column. */
export function tenantIsolationSql(table: string): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant_isolation ON ${table} USING (tenant_id = current_setting('app.tenant_id', true))`,
  ];
}
