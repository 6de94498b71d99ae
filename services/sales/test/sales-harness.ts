import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { CustomerCreatedEvent, CustomerCreatedSchema, CustomerSchema, type EventContract } from '@crm/contracts';
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
  region?: string;
  industry?: string;
  version?: number;
}

/**
 * The sales service on its own fresh database and an in-process transport the tests publish identity's
 * and the customers service's events on, so the read models are fed the way they are in production.
 * Requests carry identity headers signed with the internal credential, as the gateway sends them.
 */
export class SalesHarness extends ServiceHarness {
  private constructor(
    running: RunningService,
    database: TestDatabase,
    readonly transport: InProcessTransport,
  ) {
    super(running, database);
  }

  static async start(label: string, env: Record<string, string> = {}): Promise<SalesHarness> {
    const transport = new InProcessTransport();
    const { running, database } = await ServiceHarness.startService(service, label, { transport, env: { SALES_SCHEDULER_INTERVAL_SECONDS: '0', ...env } });
    return new SalesHarness(running, database, transport);
  }

  /** Publishes identity.user.v1 events; resolves once sales has committed them. */
  publishUser(kind: 'created' | 'updated' | 'deactivated', user: UserFixture, eventId: string = randomUUID()): Promise<void> {
    return publishUserEvent(this.transport, kind, user, eventId);
  }

  /** Publishes CustomerCreated for the fixture; resolves with the customer id once sales has committed it. */
  async publishCustomer(customer: CustomerFixture): Promise<string> {
    const customerId = customer.customerId ?? randomUUID();
    const record = create(CustomerSchema, {
      type: customer.type ?? 'company',
      name: customer.name,
      phones: customer.phones ?? [],
      emails: customer.emails ?? [],
      ownerId: customer.ownerId ?? '',
      region: customer.region ?? '',
      industry: customer.industry ?? '',
    });
    await this.publishEvent(CustomerCreatedEvent, create(CustomerCreatedSchema, { tenantId: customer.tenantId, customerId, customer: record, version: BigInt(customer.version ?? 1) }), customerId);
    return customerId;
  }

  /** Publishes any event as its producer would; resolves once sales has committed it. */
  publishEvent<S extends DescMessage>(contract: EventContract<S>, message: MessageShape<S> & { tenantId: string }, subject: string, eventId: string = randomUUID()): Promise<void> {
    return publishEvent(this.transport, contract, message, subject, eventId);
  }

  /** Events in the outbox about one aggregate, oldest first, payloads parsed. */
  async outboxOf(subject: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const rows: Array<{ type: string; data: string }> = await this.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject = $1 ORDER BY id`, [subject]);
    return rows.map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }));
  }
}
