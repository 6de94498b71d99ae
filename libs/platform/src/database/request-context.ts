import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling and on behalf of which tenant; set once per request or per consumed event. */
export interface RequestContext {
  requestId: string;
  tenantId?: string;
  userId?: string;
  roles: readonly string[];
  teamIds: readonly string[];
  traceparent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export class MissingTenantError extends Error {
  constructor() {
    super('This operation needs a tenant, but the request carries none');
    this.name = 'MissingTenantError';
  }
}

/** The tenant of the current request; tenant-scoped repositories call this so no query can forget it. */
export function requireTenantId(): string {
  const tenantId = currentContext()?.tenantId;
  if (!tenantId) throw new MissingTenantError();
  return tenantId;
}
