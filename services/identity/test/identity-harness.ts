import 'reflect-metadata';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ANONYMOUS_IDENTITY, signInternalCredential, type InternalIdentity } from '@crm/platform/auth';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { TenantTransactions } from '@crm/platform/database';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { service } from '../src';

export const API = '/api/v1';

/** Who the gateway says is calling; what it forwards after verifying a token or key. */
export type Identity = InternalIdentity;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * One identity service on its own fresh database, called the way the gateway calls it: every request
 * carries identity headers signed with the internal credential (anonymous for public routes).
 */
export class IdentityHarness {
  private constructor(
    readonly running: RunningService,
    readonly database: TestDatabase,
  ) {}

  static async start(label: string, env: Record<string, string> = {}): Promise<IdentityHarness> {
    const database = await createTestDatabase(label);
    try {
      const running = await createService(service, {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: database.url,
        runMigrations: true,
        env: { LOG_LEVEL: 'silent', EVENT_TRANSPORT: 'in-process', SHUTDOWN_TIMEOUT_MS: '1000', ...env },
      });
      return new IdentityHarness(running, database);
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
  as(identity: Identity = ANONYMOUS_IDENTITY) {
    const secret = process.env.INTERNAL_AUTH_SECRET;
    if (!secret) throw new Error('INTERNAL_AUTH_SECRET is not set (jest global setup sets it)');
    const headers = () => signInternalCredential(secret, identity) as Record<string, string>;
    const agent = request(this.running.url);
    return {
      get: (path: string) => agent.get(`${API}${path}`).set(headers()),
      post: (path: string) => agent.post(`${API}${path}`).set(headers()),
      patch: (path: string) => agent.patch(`${API}${path}`).set(headers()),
      delete: (path: string) => agent.delete(`${API}${path}`).set(headers()),
    };
  }

  /** A request without the internal credential: someone who reached the service port directly. */
  direct() {
    return request(this.running.url);
  }

  async signup(tenantName: string, email: string, password = 'Sign-up-Pa55'): Promise<{ tenantId: string; userId: string } & TokenPair> {
    const response = await this.as().post('/auth/signup').send({ tenantName, name: `Admin of ${tenantName}`, email, password }).expect(201);
    return response.body;
  }

  async login(email: string, password: string): Promise<TokenPair> {
    return (await this.as().post('/auth/login').send({ email, password }).expect(200)).body;
  }
}

/** What the gateway forwards for an access token: its claims, as identity headers. */
export function identityOf(accessToken: string): Identity {
  const claims = decodeJwt(accessToken) as { sub: string; tid: string; roles: string[]; teams: string[] };
  return { tenantId: claims.tid, userId: claims.sub, roles: claims.roles, teamIds: claims.teams };
}
