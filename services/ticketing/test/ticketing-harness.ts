import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  CustomerCreatedEvent,
  CustomerCreatedSchema,
  CustomerSchema,
  CustomerScoresChangedEvent,
  CustomerScoresChangedSchema,
  TeamCreatedEvent,
  TeamCreatedSchema,
  TeamUpdatedEvent,
  TeamUpdatedSchema,
  type EventContract,
} from '@crm/contracts';
import type { RunningService } from '@crm/platform/bootstrap';
import { InProcessTransport } from '@crm/platform/messaging';
import { publishEvent, publishUserEvent, ServiceHarness, type TestDatabase, type UserFixture } from '@crm/testing';
import { service } from '../src';

export { API, caller, type Identity, type UserFixture } from '@crm/testing';

/** A customer as customers.customer.v1 describes it (phones E.164, e-mails lower-case, as the customers service stores them). */
export interface CustomerFixture {
  tenantId: string;
  customerId?: string;
  type?: 'person' | 'company';
  name: string;
  phones?: string[];
  emails?: string[];
  ownerId?: string;
  valueTier?: 'A' | 'B' | 'C' | '';
  keyAccount?: boolean;
  version?: number;
}

/** A team as identity.team.v1 describes it. */
export interface TeamFixture {
  tenantId: string;
  teamId?: string;
  name?: string;
  managerId?: string;
  memberIds?: string[];
  version?: number;
}

/**
 * The ticketing service on its own fresh database and an in-process transport the tests publish
 * identity's, the customers service's and analytics' events on, so the read models are fed the way
 * they are in production. Requests carry identity headers signed with the internal credential, as the
 * gateway sends them. Schedulers do not run unless a test asks (TICKETING_SCHEDULER_INTERVAL_SECONDS).
 */
export class TicketingHarness extends ServiceHarness {
  private constructor(
    running: RunningService,
    database: TestDatabase,
    readonly transport: InProcessTransport,
  ) {
    super(running, database);
  }

  static async start(label: string, env: Record<string, string> = {}): Promise<TicketingHarness> {
    const transport = new InProcessTransport();
    const { running, database } = await ServiceHarness.startService(service, label, { transport, env: { TICKETING_SCHEDULER_INTERVAL_SECONDS: '0', ...env } });
    return new TicketingHarness(running, database, transport);
  }

  /** Publishes identity.user.v1 events; resolves once ticketing has committed them. */
  publishUser(kind: 'created' | 'updated' | 'deactivated', user: UserFixture, eventId: string = randomUUID()): Promise<void> {
    return publishUserEvent(this.transport, kind, user, eventId);
  }

  /** Publishes TeamCreated (or TeamUpdated for a version above 1); resolves with the team id once committed. */
  async publishTeam(team: TeamFixture): Promise<string> {
    const teamId = team.teamId ?? randomUUID();
    const payload = { tenantId: team.tenantId, teamId, name: team.name ?? `team ${teamId.slice(0, 8)}`, managerId: team.managerId ?? '', memberIds: team.memberIds ?? [], version: BigInt(team.version ?? 1) };
    if ((team.version ?? 1) > 1) await this.publishEvent(TeamUpdatedEvent, create(TeamUpdatedSchema, payload), teamId);
    else await this.publishEvent(TeamCreatedEvent, create(TeamCreatedSchema, payload), teamId);
    return teamId;
  }

  /** Publishes CustomerCreated for the fixture; resolves with the customer id once ticketing has committed it. */
  async publishCustomer(customer: CustomerFixture): Promise<string> {
    const customerId = customer.customerId ?? randomUUID();
    const record = create(CustomerSchema, {
      type: customer.type ?? 'person',
      name: customer.name,
      phones: customer.phones ?? [],
      emails: customer.emails ?? [],
      ownerId: customer.ownerId ?? '',
      valueTier: customer.valueTier ?? '',
      keyAccount: customer.keyAccount ?? false,
    });
    await this.publishEvent(CustomerCreatedEvent, create(CustomerCreatedSchema, { tenantId: customer.tenantId, customerId, customer: record, version: BigInt(customer.version ?? 1) }), customerId);
    return customerId;
  }

  /** Publishes analytics' CustomerScoresChanged with the VIP flag (and value tier); resolves once committed. */
  publishScores(tenantId: string, customerId: string, scores: { vip: boolean; valueTier?: string; computedAt?: Date }): Promise<void> {
    const message = create(CustomerScoresChangedSchema, {
      tenantId,
      customerId,
      vip: scores.vip,
      valueTier: scores.valueTier ?? '',
      currency: 'CNY',
      changed: ['vip'],
      modelVersion: 'test',
      computedAt: (scores.computedAt ?? new Date()).toISOString(),
    });
    return this.publishEvent(CustomerScoresChangedEvent, message, customerId);
  }

  /** Publishes any event as its producer would; resolves once ticketing has committed it. */
  publishEvent<S extends DescMessage>(contract: EventContract<S>, message: MessageShape<S> & { tenantId: string }, subject: string, eventId: string = randomUUID()): Promise<void> {
    return publishEvent(this.transport, contract, message, subject, eventId);
  }

  /** Events in the outbox about one aggregate, oldest first, payloads parsed. */
  async outboxOf(subject: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const rows: Array<{ type: string; data: string }> = await this.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject = $1 ORDER BY id`, [subject]);
    return rows.map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }));
  }
}
