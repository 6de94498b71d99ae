import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { type EventContract, UserCreatedEvent, UserCreatedSchema, UserDeactivatedEvent, UserDeactivatedSchema, UserUpdatedEvent, UserUpdatedSchema } from '@crm/contracts';
import { type InternalIdentity } from '@crm/platform/auth';
import type { RunningService } from '@crm/platform/bootstrap';
import { encodeEvent, InProcessTransport, type EventEnvelope } from '@crm/platform/messaging';
import { ServiceHarness, type TestDatabase } from '@crm/testing';
import { service } from '../src';

export { API } from '@crm/testing';

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
 * The customers service on its own fresh database and an in-process transport the tests publish
 * identity's user events on, so the users read model is fed the way it is in production. Requests carry
 * identity headers signed with the internal credential, as the gateway sends them.
 */
export class CustomersHarness extends ServiceHarness {
  private constructor(
    running: RunningService,
    database: TestDatabase,
    readonly transport: InProcessTransport,
    readonly piiKey: string,
  ) {
    super(running, database);
  }

  static async start(label: string, env: Record<string, string> = {}): Promise<CustomersHarness> {
    const transport = new InProcessTransport();
    const piiKey = randomBytes(32).toString('base64');
    const { running, database } = await ServiceHarness.startService(service, label, { transport, env: { CUSTOMERS_PII_KEY: piiKey, ...env } });
    return new CustomersHarness(running, database, transport, piiKey);
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
    if (kind === 'created') return this.publishEvent(UserCreatedEvent, create(UserCreatedSchema, payload), user.userId, eventId);
    if (kind === 'updated') return this.publishEvent(UserUpdatedEvent, create(UserUpdatedSchema, payload), user.userId, eventId);
    return this.publishEvent(UserDeactivatedEvent, create(UserDeactivatedSchema, payload), user.userId, eventId);
  }

  /**
   * Publishes any event on the transport as its producer would (tenant from the message); resolves once
   * customers has committed it (the in-process transport waits for every subscriber).
   */
  async publishEvent<S extends DescMessage>(
    contract: EventContract<S>,
    message: MessageShape<S> & { tenantId: string },
    subject: string,
    eventId: string = randomUUID(),
  ): Promise<void> {
    const envelope: EventEnvelope = {
      id: eventId,
      type: contract.type,
      source: `crm/${contract.topic.split('.')[0]}`,
      time: new Date().toISOString(),
      subject,
      tenantId: message.tenantId,
      topic: contract.topic,
      data: encodeEvent(contract, message),
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
