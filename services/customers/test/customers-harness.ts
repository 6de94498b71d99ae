import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { EventContract } from '@crm/contracts';
import type { RunningService } from '@crm/platform/bootstrap';
import { InProcessTransport } from '@crm/platform/messaging';
import { publishEvent, publishUserEvent, ServiceHarness, type TestDatabase, type UserFixture } from '@crm/testing';
import { service } from '../src';

export { API, caller, type Identity, type UserFixture } from '@crm/testing';

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
  publishUser(kind: 'created' | 'updated' | 'deactivated', user: UserFixture, eventId: string = randomUUID()): Promise<void> {
    return publishUserEvent(this.transport, kind, user, eventId);
  }

  /** Publishes any event on the transport as its producer would; resolves once customers has committed it. */
  publishEvent<S extends DescMessage>(contract: EventContract<S>, message: MessageShape<S> & { tenantId: string }, subject: string, eventId: string = randomUUID()): Promise<void> {
    return publishEvent(this.transport, contract, message, subject, eventId);
  }

  /** Events in the outbox about one customer, oldest first, payloads parsed. */
  async outboxOf(customerId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const rows: Array<{ type: string; data: string }> = await this.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject = $1 ORDER BY id`, [customerId]);
    return rows.map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }));
  }
}
