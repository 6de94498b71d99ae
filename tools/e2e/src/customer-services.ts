import { randomBytes } from 'node:crypto';
import { service as customersService } from '@crm/customers';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { InProcessTransport } from '@crm/platform/messaging';
import { service as salesService } from '@crm/sales';
import { createTestDatabase, type TestDatabase } from '@crm/testing';

/**
 * The customers and sales services, each on its own fresh database and port, sharing one event
 * transport as they share Kafka in production; `gatewayEnv` points a gateway at them.
 */
export class CustomerServices {
  private constructor(
    readonly customers: RunningService,
    readonly sales: RunningService,
    private readonly transport: InProcessTransport,
    private readonly databases: TestDatabase[],
  ) {}

  static async start(label: string): Promise<CustomerServices> {
    const transport = new InProcessTransport();
    const databases: TestDatabase[] = [];
    const started: RunningService[] = [];
    const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000', EVENT_TRANSPORT: 'in-process' };
    try {
      databases.push(await createTestDatabase(`${label}_customers`), await createTestDatabase(`${label}_sales`));
      const common = { host: '127.0.0.1', port: 0, runMigrations: true, transport };
      started.push(await createService(customersService, { ...common, databaseUrl: databases[0].url, env: { ...quiet, CUSTOMERS_PII_KEY: randomBytes(32).toString('base64') } }));
      started.push(await createService(salesService, { ...common, databaseUrl: databases[1].url, env: { ...quiet, SALES_SCHEDULER_INTERVAL_SECONDS: '0' } }));
      return new CustomerServices(started[0], started[1], transport, databases);
    } catch (error) {
      for (const service of started.reverse()) await service.close();
      await transport.stop();
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
    await this.transport.stop();
    for (const database of this.databases) await database.drop();
  }
}

/** Polls `read` until `done` says yes (events travel after commit), at most ~5 s; the last value either way. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 50 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
