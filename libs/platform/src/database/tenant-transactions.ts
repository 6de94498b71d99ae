import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { currentContext, requireTenantId, runWithContext, type RequestContext } from './request-context';
import { withRowLevelSecurityBypass, withTenant } from './tenant-scope';

/**
 * Opens the transactions tenant data is read and written in, with the tenant set for row-level
 * security. Services go through this rather than `dataSource.transaction`, so the second wall is never
 * forgotten: a transaction without a tenant sees no tenant-owned rows at all.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly dataSource: DataSource) {}

  /** A transaction for the tenant of the current request; MissingTenantError (401) without one. */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.runForTenant(requireTenantId(), fn);
  }

  /**
   * A transaction for an explicit tenant: event consumers, jobs, signup's first writes. Inside `fn` the
   * request context names that tenant too, so tenant-scoped repositories filter by it.
   */
  runForTenant<T>(tenantId: string, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return runWithContext(contextForTenant(tenantId), () =>
      this.dataSource.transaction(async (manager) => {
        await withTenant(manager, tenantId);
        return fn(manager);
      }),
    );
  }

  /**
   * A transaction that sees every tenant (`app.rls_bypass`). Only for the few lookups that are
   * cross-tenant by nature: login by e-mail, signup creating a tenant, API-key verification by hash.
   */
  runAsSystem<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await withRowLevelSecurityBypass(manager);
      return fn(manager);
    });
  }
}

/**
 * The current context moved to `tenantId`. A user of one tenant acting in another (signup creating a
 * tenant) is nobody there, so their identity does not come along.
 */
function contextForTenant(tenantId: string): RequestContext {
  const current = currentContext();
  if (current?.tenantId === tenantId) return current;
  return { requestId: current?.requestId ?? randomUUID(), traceparent: current?.traceparent, tenantId, roles: [], teamIds: [] };
}
