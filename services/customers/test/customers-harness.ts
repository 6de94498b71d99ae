import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UserCreatedEvent, UserCreatedSchema, UserDeactivatedEvent, UserDeactivatedSchema, UserUpdatedEvent, UserUpdatedSchema } from '@crm/contracts';
import { type InternalIdentity } from '@crm/platform/auth';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { TenantTransactions } from '@crm/platform/database';
import { encodeEvent, InProcessTransport, type EventEnvelope } from '@crm/platform/messaging';
import { createTestDatabase, internalCredentialHeaders, type TestDatabase } from '@crm/testing';
import { service } from '../src';

export const API = '/api/v1';

/** Who the gateway says is calling. */
export type Identity = InternalIdentity & { tenantId: string; userId: string };

/** A user as identity.user.v1 describes them. */
export interface UserFixture {
  tenantId: string;
  userId: string;
  name?: string;
  roles?: string[];
  teamIds?: string[];
  active?: boolean;
  version?: number;
}

/**
 * One customers service on its own fresh database and an in-process transport the tests publish
 * identity's user events on, so the users read model is fed the way it is in production. Requests carry
 * identity headers signed with the internal credential, as the gateway sends them.
 */
export class CustomersHarness {
  private constructor(
    readonly running: RunningService,
    readonly database: TestDatabase,
    readonly transport: InProcessTransport,
    readonly piiKey: string,
  ) {}

  static async start(label: string, env: Record<string, string> = {}): Promise<CustomersHarness> {
    const database = await createTestDatabase(label);
    const transport = new InProcessTransport();
    const piiKey = randomBytes(32).toString('base64');
    try {
      const running = await createService(service, {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: database.url,
        runMigrations: true,
        transport,
        env: { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000', CUSTOMERS_PII_KEY: piiKey, ...env },
      });
      return new CustomersHarness(running, database, transport, piiKey);
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
      patch: (path: string) => agent.patch(`${API}${path}`).set(headers()),
      delete: (path: string) => agent.delete(`${API}${path}`).set(headers()),
    };
  }

  /**
   * Publishes identity.user.v1 events on the transport; resolves once customers has committed them
   * (the in-process transport waits for every subscriber).
   */
  async publishUser(kind: 'created' | 'updated' | 'deactivated', user: UserFixture, eventId: string = randomUUID()): Promise<void> {
    const payload = {
      tenantId: user.tenantId,
      userId: user.userId,
      name: user.name ?? 'someone',
      email: `${user.userId}@example.test`,
      roles: user.roles ?? ['rep'],
      teamIds: user.teamIds ?? [],
      active: kind === 'deactivated' ? false : (user.active ?? true),
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      seniority: '',
      version: BigInt(user.version ?? 1),
    };
    const data =
      kind === 'created'
        ? encodeEvent(UserCreatedEvent, create(UserCreatedSchema, payload))
        : kind === 'updated'
          ? encodeEvent(UserUpdatedEvent, create(UserUpdatedSchema, payload))
          : encodeEvent(UserDeactivatedEvent, create(UserDeactivatedSchema, payload));
    const contract = kind === 'created' ? UserCreatedEvent : kind === 'updated' ? UserUpdatedEvent : UserDeactivatedEvent;
    const envelope: EventEnvelope = {
      id: eventId,
      type: contract.type,
      source: 'crm/identity',
      time: new Date().toISOString(),
      subject: user.userId,
      tenantId: user.tenantId,
      topic: contract.topic,
      data,
    };
    await this.transport.publish([envelope]);
  }

  /** Events in the outbox about one customer, oldest first, payloads parsed. */
  async outboxOf(customerId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const rows: Array<{ type: string; data: string }> = await this.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject = $1 ORDER BY id`, [customerId]);
    return rows.map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }));
  }
}

/** A caller of `tenantId` with these roles (and teams). */
export function caller(tenantId: string, roles: string[], teamIds: string[] = [], userId: string = randomUUID()): Identity {
  return { tenantId, userId, roles, teamIds };
}
