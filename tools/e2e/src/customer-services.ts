import { randomBytes } from 'node:crypto';
import { service as customersService } from '@crm/customers';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { InProcessTransport, type EventTransport } from '@crm/platform/messaging';
import { service as salesService } from '@crm/sales';
import { createTestDatabase, type TestDatabase } from '@crm/testing';

/**
 * The customers and sales services, each on its own fresh database and port; `gatewayEnv` points a
 * gateway at them. Events travel on one shared in-process transport, or on the transports `transportFor`
 * gives each service (e.g. its own Kafka client, as deployed).
 */
export class CustomerServices {
  private constructor(
    readonly customers: RunningService,
    readonly sales: RunningService,
    private readonly transports: EventTransport[],
    private readonly databases: TestDatabase[],
  ) {}

  static async start(label: string, transportFor?: (service: 'customers' | 'sales') => EventTransport): Promise<CustomerServices> {
    const transports = transportFor ? [transportFor('customers'), transportFor('sales')] : sharedInProcess();
    const databases: TestDatabase[] = [];
    const started: RunningService[] = [];
    const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000', EVENT_TRANSPORT: 'in-process' };
    try {
      databases.push(await createTestDatabase(`${label}_customers`), await createTestDatabase(`${label}_sales`));
      const common = { host: '127.0.0.1', port: 0, runMigrations: true };
      const customersEnv = { ...quiet, CUSTOMERS_PII_KEY: randomBytes(32).toString('base64') };
      started.push(await createService(customersService, { ...common, transport: transports[0], databaseUrl: databases[0].url, env: customersEnv }));
      started.push(await createService(salesService, { ...common, transport: transports[1], databaseUrl: databases[1].url, env: { ...quiet, SALES_SCHEDULER_INTERVAL_SECONDS: '0' } }));
      return new CustomerServices(started[0], started[1], transports, databases);
    } catch (error) {
      for (const service of started.reverse()) await service.close();
      for (const transport of new Set(transports)) await transport.stop();
      for (const database of databases) await database.drop();
      throw error;
    }
  }

  /** The gateway's variables that route to these services. */
  get gatewayEnv(): Record<string, string> {
    return { CUSTOMERS_URL: this.customers.url, SALES_URL: this.sales.url };
  }

  async stop(): Promise<void> {
    await this.sales.close();
    await this.customers.close();
    // Handed in, so the services do not stop them.
    for (const transport of new Set(this.transports)) await transport.stop();
    for (const database of this.databases) await database.drop();
  }
}

/**
 * Polls `read` until `done` says yes (events travel after commit), at most `timeoutMs` (5 s: the
 * in-process transport; a Kafka consumer group may take a minute to join); the last value either way.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** One in-process transport for both services, as if they shared a broker. */
function sharedInProcess(): EventTransport[] {
  const shared = new InProcessTransport();
  return [shared, shared];
}
