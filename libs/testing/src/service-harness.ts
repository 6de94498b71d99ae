import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { InternalIdentity } from '@crm/platform/auth';
import { createService, type RunningService, type ServiceDefinition } from '@crm/platform/bootstrap';
import { TenantTransactions } from '@crm/platform/database';
import type { EventTransport } from '@crm/platform/messaging';
import { internalCredentialHeaders } from './internal-credential';
import { createTestDatabase, type TestDatabase } from './test-database';

export const API = '/api/v1';

/** Who the gateway says is calling. */
export type Identity = InternalIdentity & { tenantId: string; userId: string };

/** A caller of `tenantId` with these roles (and teams). */
export function caller(tenantId: string, roles: string[], teamIds: string[] = [], userId: string = randomUUID()): Identity {
  return { tenantId, userId, roles, teamIds };
}

export interface ServiceHarnessOptions {
  /** Environment of the service on top of quiet logs and a short shutdown. */
  env?: Record<string, string>;
  /** A transport the test publishes on; else the service's own in-process one. */
  transport?: EventTransport;
}

/**
 * One service on its own fresh database, called the way the gateway calls it: every request carries
 * identity headers signed with the internal credential (anonymous when no identity is given).
 * Service-specific harnesses extend it with their fixtures.
 */
export class ServiceHarness {
  protected constructor(
    readonly running: RunningService,
    readonly database: TestDatabase,
  ) {}

  /** Starts `definition` with its migrations applied; the database is dropped again if it fails. */
  protected static async startService(definition: ServiceDefinition, label: string, options: ServiceHarnessOptions = {}): Promise<{ running: RunningService; database: TestDatabase }> {
    const database = await createTestDatabase(label);
    try {
      const running = await createService(definition, {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: database.url,
        runMigrations: true,
        transport: options.transport,
        env: { LOG_LEVEL: 'silent', EVENT_TRANSPORT: 'in-process', SHUTDOWN_TIMEOUT_MS: '1000', ...options.env },
      });
      return { running, database };
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.running.close();
    await this.database.drop();
  }

  get dataSource(): DataSource {
    return this.running.app.get(DataSource);
  }

  /** Rows of a query run in `tenantId`'s transaction (row-level security shows that tenant only). */
  queryAsTenant<T = Record<string, unknown>>(tenantId: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.running.app.get(TenantTransactions).runForTenant(tenantId, (manager) => manager.query(sql, parameters));
  }

  /** A supertest agent whose requests carry the gateway's signed headers for `identity`. */
  as(identity: Partial<InternalIdentity> = {}) {
    const agent = request(this.running.url);
    const headers = () => internalCredentialHeaders(identity);
    return {
      get: (path: string) => agent.get(`${API}${path}`).set(headers()),
      post: (path: string) => agent.post(`${API}${path}`).set(headers()),
      put: (path: string) => agent.put(`${API}${path}`).set(headers()),
      patch: (path: string) => agent.patch(`${API}${path}`).set(headers()),
      delete: (path: string) => agent.delete(`${API}${path}`).set(headers()),
    };
  }

  /** A request without the internal credential: someone who reached the service port directly. */
  direct() {
    return request(this.running.url);
  }
}
