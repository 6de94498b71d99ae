import { randomUUID } from 'node:crypto';
import { CrmUnderTest, PASSWORD } from './crm-under-test';
import { CustomerServices, eventually } from './customer-services';

/**
 * Issue acceptance for privacy requests, the way clients see them: identity, customers, sales and the
 * gateway as separate services (customers and sales sharing one event transport), the export archive
 * composed by the gateway from the customers and sales parts, erasures confirmed by both.
 */
jest.setTimeout(120_000);

describe('privacy requests through the gateway', () => {
  let services: CustomerServices;
  let crm: CrmUnderTest;
  let admin: string;

  beforeAll(async () => {
    services = await CustomerServices.start('e2e_privacy');
    crm = await CrmUnderTest.start('e2e_privacy', { gateway: services.gatewayEnv });
    admin = (await crm.signup('隐私测试有限公司', `dpo-${randomUUID().slice(0, 8)}@example.com`)).accessToken;
  });

  afterAll(async () => {
    await crm?.stop();
    await services?.stop();
  });

  it("delivers an export archive with the customer's data, then marks the request completed", async () => {
    const created = await crm.call('POST', '/customers', {
      token: admin,
      body: { type: 'person', name: '林黛玉', phones: ['138 5555 6666'], emails: ['Lin.Daiyu@Example.CN'], nationalId: '330106198805204817', region: '华东' },
    });
    expect(created.status).toBe(201);
    const customerId = created.body.id as string;
    // Sales learns of the customer from its event and links a lead with the same phone to it.
    const lead = await crm.call('POST', '/leads', { token: admin, body: { channel: 'manual', contactName: '林黛玉', phone: '+86 138-5555-6666', notes: '想了解年度套餐' } });
    expect(lead.status).toBe(201);
    expect(lead.body.customerId).toBe(customerId);

    const requested = await crm.call('POST', '/privacy/requests', { token: admin, body: { customerId, type: 'export', requestedBy: 'lin.daiyu@example.cn' } });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'pending', archiveUrl: `/api/v1/privacy/requests/${requested.body.id}/archive` });

    const response = await fetch(`${crm.gateway.url}${requested.body.archiveUrl}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="privacy-export-${requested.body.id}.json"`);
    const archive = (await response.json()) as {
      requestId: string;
      customerId: string;
      complete: boolean;
      services: Record<string, { status: string; sections?: Array<{ name: string; data: Record<string, unknown> }> }>;
    };
    // identity, customers and sales run here: the other services are not deployed, identity holds no customer data.
    expect(archive).toMatchObject({ requestId: requested.body.id, customerId, complete: true });
    expect(Object.keys(archive.services).sort()).toEqual(['analytics', 'customers', 'marketing', 'sales', 'ticketing']);
    expect(archive.services.ticketing).toEqual({ status: 'not_deployed' });
    const leadsSection = archive.services.sales.sections?.find((section) => section.name === 'leads');
    expect(leadsSection?.data).toEqual([expect.objectContaining({ contactName: '林黛玉', phone: '+8613855556666', notes: '想了解年度套餐' })]);
    const customerSection = archive.services.customers.sections?.find((section) => section.name === 'customer');
    expect(customerSection?.data).toMatchObject({ id: customerId, name: '林黛玉', phones: ['+8613855556666'], emails: ['lin.daiyu@example.cn'], nationalId: '330106198805204817' });
    const requestsSection = archive.services.customers.sections?.find((section) => section.name === 'privacyRequests');
    expect(requestsSection?.data).toEqual([expect.objectContaining({ id: requested.body.id, requestedBy: 'lin.daiyu@example.cn' })]);

    const after = await crm.call('GET', `/privacy/requests/${requested.body.id}`, { token: admin });
    expect(after.body).toMatchObject({ status: 'completed', deliveredAt: expect.any(String), archiveComplete: true });
    expect(after.body.services).toEqual([expect.objectContaining({ service: 'customers', status: 'completed' }), expect.objectContaining({ service: 'sales', status: 'completed' })]);
    // The archive showed the national ID in clear: that read is on record like any other.
    const log = await crm.call('GET', `/customers/${customerId}/pii-access-log`, { token: admin });
    expect(log.body.items).toEqual([expect.objectContaining({ fields: ['nationalId'] })]);
  });

  it('gives the archive to privacy managers only', async () => {
    const customer = await crm.call('POST', '/customers', { token: admin, body: { type: 'person', name: '贾宝玉' } });
    const requested = await crm.call('POST', '/privacy/requests', { token: admin, body: { customerId: customer.body.id, type: 'export' } });
    const email = `rep-${randomUUID().slice(0, 8)}@example.com`;
    expect((await crm.call('POST', '/users', { token: admin, body: { name: '销售', email, roles: ['rep'], password: PASSWORD } })).status).toBe(201);
    const rep = await crm.login(email);

    const refused = await crm.call('GET', `/privacy/requests/${requested.body.id}/archive`, { token: rep });
    expect(refused.status).toBe(403);
    expect((await crm.call('POST', '/privacy/requests', { token: rep, body: { customerId: customer.body.id, type: 'erasure' } })).status).toBe(403);
    expect((await crm.call('GET', `/privacy/requests/${requested.body.id}`, { token: admin })).body.status).toBe('pending');
  });

  it('erases a customer, which then has no archive to give', async () => {
    const customer = await crm.call('POST', '/customers', { token: admin, body: { type: 'person', name: '薛宝钗', phones: ['13977778888'] } });
    // A web-form style lead with the same phone that nobody linked: the erasure finds it by the phone.
    const lead = await crm.call('POST', '/leads', { token: admin, body: { channel: 'web_form', contactName: '薛宝钗', phone: '13977778888', email: 'baochai@example.cn' } });
    expect(lead.status).toBe(201);
    const erasure = await crm.call('POST', '/privacy/requests', { token: admin, body: { customerId: customer.body.id, type: 'erasure' } });
    expect(erasure.status).toBe(201);
    // customers erases in the request's transaction; sales answers through its event.
    expect(erasure.body.services).toEqual([expect.objectContaining({ service: 'customers', status: 'completed' }), expect.objectContaining({ service: 'sales' })]);
    const request = await eventually(
      async () => (await crm.call('GET', `/privacy/requests/${erasure.body.id}`, { token: admin })).body,
      (body) => body.status === 'completed',
    );
    expect(request).toMatchObject({ status: 'completed', services: [expect.objectContaining({ service: 'customers', status: 'completed' }), expect.objectContaining({ service: 'sales', status: 'completed', recordsAffected: 1 })] });
    const erasedLead = await crm.call('GET', `/leads/${lead.body.id}`, { token: admin });
    expect(JSON.stringify(erasedLead.body)).not.toMatch(/薛宝钗|13977778888|baochai/);
    expect((await crm.call('GET', `/customers/${customer.body.id}`, { token: admin })).body).toMatchObject({ name: '已删除', phones: [] });
    expect((await crm.call('GET', `/privacy/requests/${erasure.body.id}/archive`, { token: admin })).status).toBe(409);
  });
});
