import type { DeepPartial, EntityManager, EntityTarget, FindManyOptions, FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { requireTenantId } from './request-context';

/** A tenant-owned entity: every row carries the tenant it belongs to. */
export type TenantOwned = ObjectLiteral & { tenantId: string };

/**
 * Base for repositories of tenant-owned tables: every read and write is filtered by the tenant of the
 * current request, so a query cannot forget it (first wall). Methods take the EntityManager of the
 * caller's transaction from `TenantTransactions`, which also sets the tenant for row-level security
 * (second wall), so a missed filter still sees nothing of other tenants.
 */
export abstract class TenantScopedRepository<T extends TenantOwned> {
  protected constructor(protected readonly target: EntityTarget<T>) {}

  /** The entity's repository inside the caller's transaction. */
  protected repository(manager: EntityManager): Repository<T> {
    return manager.getRepository<T>(this.target);
  }

  /** `where` plus the current tenant; the tenant cannot be overridden by the caller. */
  protected scoped(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: requireTenantId() } as FindOptionsWhere<T>;
  }

  /** A query builder already filtered to the current tenant; add conditions with `andWhere`. */
  protected query(manager: EntityManager, alias: string): SelectQueryBuilder<T> {
    return this.repository(manager).createQueryBuilder(alias).where(`${alias}.tenantId = :tenantId`, { tenantId: requireTenantId() });
  }

  protected findOneScoped(manager: EntityManager, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository(manager).findOne({ where: this.scoped(where) });
  }

  protected findScoped(manager: EntityManager, options: Omit<FindManyOptions<T>, 'where'> & { where?: FindOptionsWhere<T> } = {}): Promise<T[]> {
    return this.repository(manager).find({ ...options, where: this.scoped(options.where) });
  }

  /** A new, unsaved entity belonging to the current tenant. */
  protected createScoped(manager: EntityManager, values: Omit<DeepPartial<T>, 'tenantId'>): T {
    return this.repository(manager).create({ ...values, tenantId: requireTenantId() } as DeepPartial<T>);
  }

  /** Saves an entity of the current tenant; one carrying another tenant's id is a bug, never written. */
  protected async saveScoped(manager: EntityManager, entity: T): Promise<T> {
    const tenantId = requireTenantId();
    if (entity.tenantId !== tenantId) throw new Error(`Refusing to save a row of tenant ${entity.tenantId} in a request of tenant ${tenantId}`);
    return this.repository(manager).save(entity);
  }
}

/**
 * Sets the tenant for the rest of the caller's transaction, read by the row-level security policies
 * (see `tenantIsolationSql`). For transactions the platform opened itself, such as an event handler's.
 */
export async function withTenant(manager: EntityManager, tenantId: string = requireTenantId()): Promise<void> {
  await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
}

/**
 * Lets the rest of the caller's transaction see every tenant's rows. Only for the few lookups that are
 * cross-tenant by nature (login by e-mail, API-key verification, signup); prefer
 * `TenantTransactions.runAsSystem`.
 */
export async function withRowLevelSecurityBypass(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
}

/** The row-level security condition: the transaction's tenant, or the explicit system bypass. */
const TENANT_ISOLATION_CONDITION =
  `tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.rls_bypass', true) = 'on'`;

function policyName(table: string): string {
  return `${table.replace(/\W+/g, '_')}_tenant_isolation`;
}

/**
 * Migration helper for a table with a `tenant_id uuid NOT NULL` column: enables and forces row-level
 * security (forced, because the service's own role owns its tables) with a policy that shows and
 * accepts only rows of the transaction's tenant. Without `app.tenant_id` a query sees nothing.
 */
export function tenantIsolationSql(table: string): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${policyName(table)} ON ${table} USING (${TENANT_ISOLATION_CONDITION}) WITH CHECK (${TENANT_ISOLATION_CONDITION})`,
  ];
}

/** The reverse of `tenantIsolationSql`, for a migration's `down`. */
export function dropTenantIsolationSql(table: string): string[] {
  return [`DROP POLICY IF EXISTS ${policyName(table)} ON ${table}`, `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`, `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`];
}
