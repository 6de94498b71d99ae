import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { service as customersService } from '@crm/customers';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { KafkaTransport } from '@crm/platform/messaging';
import { caller, createTestDatabase, describeWithKafka, internalCredentialHeaders, startKafkaForTests, type Identity, type KafkaForTests, type TestDatabase } from '@crm/testing';
import { service as salesService } from '@crm/sales';

jest.setTimeout(180_000);

/** The topics this suite's events travel on (deploy/kafka/topics.yaml creates them in CI; a fresh broker may not have them). */
const TOPICS = ['customers.customer.v1', 'customers.privacy.v1', 'sales.lead.v1', 'sales.opportunity.v1', 'sales.privacy.v1', 'identity.user.v1'];

/** Polls until `done` (consumers on Kafka answer in seconds, not milliseconds), at most ~60 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 300 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

/**
 * Sales and customers as separate services on a real Kafka broker, each with its own database and
 * transport, as deployed: a converted lead becomes a customer in the customers service and comes back
 * to sales' directory as CustomerCreated; an erasure asked of customers is carried out and confirmed
 * by sales.
 */
describeWithKafka('sales and customers over Kafka', () => {
  let kafka: KafkaForTests;
  const databases: TestDatabase[] = [];
  let customers: RunningService;
  let sales: RunningService;
  // Handed in, so the services do not stop them: this suite does.
  const transports: KafkaTransport[] = [];
  const tenantId = randomUUID();
  const admin: Identity = caller(tenantId, ['admin']);

  beforeAll(async () => {
    kafka = await startKafkaForTests();
    const client = new Kafka({ clientId: 'sales-kafka-suite', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const kafkaAdmin = client.admin();
    await kafkaAdmin.connect();
    const existing = new Set(await kafkaAdmin.listTopics());
    await kafkaAdmin.createTopics({ topics: TOPICS.filter((topic) => !existing.has(topic)).map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
    await kafkaAdmin.disconnect();

    databases.push(await createTestDatabase('kafka_customers'), await createTestDatabase('kafka_sales'));
    const common = { host: '127.0.0.1', port: 0, runMigrations: true };
    const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '2000' };
    transports.push(new KafkaTransport({ brokers: kafka.brokers, clientId: 'customers-suite' }), new KafkaTransport({ brokers: kafka.brokers, clientId: 'sales-suite' }));
    customers = await createService(customersService, {
      ...common,
      databaseUrl: databases[0].url,
      transport: transports[0],
      env: { ...quiet, CUSTOMERS_PII_KEY: randomBytes(32).toString('base64') },
    });
    sales = await createService(salesService, {
      ...common,
      databaseUrl: databases[1].url,
      transport: transports[1],
      env: { ...quiet, SALES_SCHEDULER_INTERVAL_SECONDS: '0' },
    });
  });

  afterAll(async () => {
    await sales?.close();
    await customers?.close();
    for (const transport of transports) await transport.stop();
    for (const database of databases) await database.drop();
    await kafka?.stop();
  });

  const call = (service: RunningService) => ({
    get: (path: string) => request(service.url).get(`/api/v1${path}`).set(internalCredentialHeaders(admin)),
    post: (path: string, body: object = {}) => request(service.url).post(`/api/v1${path}`).set(internalCredentialHeaders(admin)).send(body),
  });

  it('turns a converted lead into a customer of the customers service, which sales then knows', async () => {
    const lead = await call(sales).post('/leads', { channel: 'api', contactName: '周经理', companyName: '宁波海纳贸易有限公司', phone: '138 1234 5678' });
    expect(lead.status).toBe(201);
    const converted = await call(sales).post(`/leads/${lead.body.id}/convert`, { opportunityName: '海纳年度采购' });
    expect(converted.status).toBe(200);
    const customerId = converted.body.customerId as string;

    const customer = await eventually(() => call(customers).get(`/customers/${customerId}`), (response) => response.status === 200);
    expect(customer.body).toMatchObject({ id: customerId, name: '宁波海纳贸易有限公司', phones: ['+8613812345678'] });
    // CustomerCreated came back: a new lead with the same phone is linked to the customer.
    const again = await eventually(
      () => call(sales).post('/leads', { channel: 'web_form', contactName: '周经理', phone: '13812345678', email: `zhou-${randomUUID().slice(0, 6)}@haina.cn` }),
      (response) => response.status === 201 && response.body.customerId === customerId,
    );
    expect(again.body.customerId).toBe(customerId);
  });

  it('erases a customer in both services and completes the request once sales confirms', async () => {
    const created = await call(customers).post('/customers', { type: 'person', name: '吴小姐', phones: ['13900001111'] });
    expect(created.status).toBe(201);
    const lead = await call(sales).post('/leads', { channel: 'web_form', contactName: '吴小姐', phone: '13900001111' });
    expect(lead.status).toBe(201);

    const erasure = await call(customers).post('/privacy/requests', { customerId: created.body.id, type: 'erasure' });
    expect(erasure.status).toBe(201);
    const done = await eventually(() => call(customers).get(`/privacy/requests/${erasure.body.id}`), (response) => response.body.status === 'completed');
    expect(done.body.services).toEqual([
      expect.objectContaining({ service: 'customers', status: 'completed' }),
      expect.objectContaining({ service: 'sales', status: 'completed', recordsAffected: 1 }),
    ]);
    const erasedLead = await call(sales).get(`/leads/${lead.body.id}`);
    expect(JSON.stringify(erasedLead.body)).not.toMatch(/吴小姐|13900001111/);
  });
});
