import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ConvertedCustomerSchema, LeadConvertedEvent, LeadConvertedSchema } from '@crm/contracts';
import { caller, CustomersHarness } from './customers-harness';

describe('customers: customers of converted leads (LeadConverted)', () => {
  let customers: CustomersHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const ownerId = randomUUID();
  const convertedBy = randomUUID();
  const leaver = randomUUID();

  const converted = (customerId: string, overrides: { ownerId?: string; customerCreated?: boolean; phones?: string[] } = {}) =>
    create(LeadConvertedSchema, {
      tenantId,
      leadId: randomUUID(),
      customerId,
      customerCreated: overrides.customerCreated ?? true,
      customer: create(ConvertedCustomerSchema, {
        type: 'company',
        name: '南京启明软件有限公司',
        phones: overrides.phones ?? ['+8613900001111'],
        emails: ['han@qiming.cn'],
        industry: '软件',
        region: '华东',
        ownerId: overrides.ownerId ?? ownerId,
        source: 'lead:web_form',
        contactName: '韩梅',
      }),
      opportunityId: randomUUID(),
      channel: 'web_form',
      convertedBy,
      convertedAt: new Date().toISOString(),
      version: 2n,
    });

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_lead_conversion');
    await customers.publishUser('created', { tenantId, userId: ownerId, roles: ['rep'] });
    await customers.publishUser('created', { tenantId, userId: convertedBy, roles: ['manager'] });
    await customers.publishUser('created', { tenantId, userId: leaver, roles: ['rep'] });
    await customers.publishUser('deactivated', { tenantId, userId: leaver, roles: ['rep'], version: 2 });
  });

  afterAll(async () => {
    await customers?.stop();
  });

  it('creates the customer with the id sales chose, once, through the normal writer (CustomerCreated)', async () => {
    const customerId = randomUUID();
    const event = converted(customerId);
    const eventId = randomUUID();
    await customers.publishEvent(LeadConvertedEvent, event, event.leadId, eventId);

    const read = await customers.as(admin).get(`/customers/${customerId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: customerId, type: 'company', name: '南京启明软件有限公司', phones: ['+8613900001111'], emails: ['han@qiming.cn'], industry: '软件', region: '华东', source: 'lead:web_form', ownerId });
    const created = await customers.outboxOf(customerId);
    expect(created.map((entry) => entry.type)).toEqual(['crm.customers.customer.created.v1']);

    // Redelivery (same event id) and a replay under another id both change nothing.
    await customers.publishEvent(LeadConvertedEvent, event, event.leadId, eventId);
    await customers.publishEvent(LeadConvertedEvent, event, event.leadId, randomUUID());
    expect(await customers.outboxOf(customerId)).toHaveLength(1);
    const [{ count }] = await customers.queryAsTenant<{ count: string }>(tenantId, `SELECT count(*) FROM customers WHERE id = $1`, [customerId]);
    expect(Number(count)).toBe(1);
  });

  it('lets the converting user own the customer when the lead owner cannot own customers', async () => {
    const customerId = randomUUID();
    const event = converted(customerId, { ownerId: leaver, phones: ['+8613900002222'] });
    await customers.publishEvent(LeadConvertedEvent, event, event.leadId);
    const read = await customers.as(admin).get(`/customers/${customerId}`);
    expect(read.body.ownerId).toBe(convertedBy);
  });

  it('does nothing for a lead linked to an existing customer, and creates another tenant\'s customer in that tenant only', async () => {
    const customerId = randomUUID();
    const linked = converted(customerId, { customerCreated: false });
    await customers.publishEvent(LeadConvertedEvent, linked, linked.leadId);
    expect(await customers.queryAsTenant(tenantId, `SELECT 1 FROM customers WHERE id = $1`, [customerId])).toHaveLength(0);

    const otherTenant = randomUUID();
    const theirs = { ...converted(randomUUID()), tenantId: otherTenant };
    await customers.publishEvent(LeadConvertedEvent, theirs, theirs.leadId);
    expect(await customers.queryAsTenant(tenantId, `SELECT 1 FROM customers WHERE id = $1`, [theirs.customerId])).toHaveLength(0);
    expect(await customers.queryAsTenant(otherTenant, `SELECT 1 FROM customers WHERE id = $1`, [theirs.customerId])).toHaveLength(1);
  });
});
