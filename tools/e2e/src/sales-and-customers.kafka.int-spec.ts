import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import type { RunningService } from '@crm/platform/bootstrap';
import { KafkaTransport } from '@crm/platform/messaging';
import { caller, describeWithKafka, internalCredentialHeaders, startKafkaForTests, type Identity, type KafkaForTests } from '@crm/testing';
import { CustomerServices, eventually } from './customer-services';

jest.setTimeout(180_000);

/** The topics this suite's events travel on (deploy/kafka/topics.yaml creates them in CI; a fresh broker may not have them). */
const TOPICS = ['customers.customer.v1', 'customers.privacy.v1', 'sales.lead.v1', 'sales.opportunity.v1', 'sales.privacy.v1', 'identity.user.v1'];

/** Consumers on Kafka answer in seconds, not milliseconds: a group joining may take up to its session timeout. */
const KAFKA_WAIT_MS = 60_000;

/**
 * Sales and customers as separate services on a real Kafka broker, each with its own database and
 * transport, as deployed: a converted lead becomes a customer in the customers service and comes back
 * to sales' directory as CustomerCreated; an erasure asked of customers is carried out and confirmed
 * by sales.
 */
describeWithKafka('sales and customers over Kafka', () => {
  let kafka: KafkaForTests;
  let services: CustomerServices;
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
    services = await CustomerServices.start('kafka', (service) => new KafkaTransport({ brokers: kafka.brokers, clientId: `${service}-suite` }));
  });

  afterAll(async () => {
    await services?.stop();
    await kafka?.stop();
  });

  const call = (service: RunningService) => ({
    get: (path: string) => request(service.url).get(`/api/v1${path}`).set(internalCredentialHeaders(admin)),
    post: (path: string, body: object = {}) => request(service.url).post(`/api/v1${path}`).set(internalCredentialHeaders(admin)).send(body),
  });

  it('turns a converted lead into a customer of the customers service, which sales then knows', async () => {
    const lead = await call(services.sales).post('/leads', { channel: 'api', contactName: '周经理', companyName: '宁波海纳贸易有限公司', phone: '138 1234 5678' });
    expect(lead.status).toBe(201);
    const converted = await call(services.sales).post(`/leads/${lead.body.id}/convert`, { opportunityName: '海纳年度采购' });
    expect(converted.status).toBe(200);
    const customerId = converted.body.customerId as string;

    const customer = await eventually(() => call(services.customers).get(`/customers/${customerId}`), (response) => response.status === 200, KAFKA_WAIT_MS);
    expect(customer.body).toMatchObject({ id: customerId, name: '宁波海纳贸易有限公司', phones: ['+8613812345678'] });
    // CustomerCreated came back: a new lead with the same phone is linked to the customer.
    const again = await eventually(
      () => call(services.sales).post('/leads', { channel: 'web_form', contactName: '周经理', phone: '13812345678', email: `zhou-${randomUUID().slice(0, 6)}@haina.cn` }),
      (response) => response.status === 201 && response.body.customerId === customerId,
      KAFKA_WAIT_MS,
    );
    expect(again.body.customerId).toBe(customerId);
  });

  it('erases a customer in both services and completes the request once sales confirms', async () => {
    const created = await call(services.customers).post('/customers', { type: 'person', name: '吴小姐', phones: ['13900001111'] });
    expect(created.status).toBe(201);
    const lead = await call(services.sales).post('/leads', { channel: 'web_form', contactName: '吴小姐', phone: '13900001111' });
    expect(lead.status).toBe(201);

    const erasure = await call(services.customers).post('/privacy/requests', { customerId: created.body.id, type: 'erasure' });
    expect(erasure.status).toBe(201);
    const done = await eventually(() => call(services.customers).get(`/privacy/requests/${erasure.body.id}`), (response) => response.body.status === 'completed', KAFKA_WAIT_MS);
    expect(done.body.services).toEqual([
      expect.objectContaining({ service: 'customers', status: 'completed' }),
      expect.objectContaining({ service: 'sales', status: 'completed', recordsAffected: 1 }),
    ]);
    const erasedLead = await call(services.sales).get(`/leads/${lead.body.id}`);
    expect(JSON.stringify(erasedLead.body)).not.toMatch(/吴小姐|13900001111/);
  });
});
