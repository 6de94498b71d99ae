import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ErasureRequestedEvent, ErasureRequestedSchema } from '@crm/contracts';
import { caller, SalesHarness } from './sales-harness';

describe('sales: privacy requests', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const ownerId = randomUUID();

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_privacy');
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const addActivity = async (customerId: string, notes: string): Promise<string> => {
    const id = randomUUID();
    await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, notes, outcome, status, owner_id, customer_id) VALUES ($1, $2, 'call', '回访张三', $3, 'interested', 'done', $4, $5)`, [
      id,
      tenantId,
      notes,
      ownerId,
      customerId,
    ]);
    return id;
  };

  it('exports what sales holds of a customer, and nothing for a customer it does not know', async () => {
    const customerId = await sales.publishCustomer({ tenantId, type: 'person', name: '张三' });
    await addActivity(customerId, '张三说下周再联系，手机 13800138000');
    const exported = await sales.as(admin).get(`/internal/privacy/customers/${customerId}/export`).expect(200);
    expect(exported.body.service).toBe('sales');
    expect(exported.body.sections).toEqual([{ name: 'activities', data: [expect.objectContaining({ kind: 'call', notes: '张三说下周再联系，手机 13800138000' })] }]);

    const unknown = await sales.as(admin).get(`/internal/privacy/customers/${randomUUID()}/export`).expect(200);
    expect(unknown.body.sections).toEqual([]);
    await sales.as(caller(tenantId, ['rep'])).get(`/internal/privacy/customers/${customerId}/export`).expect(403);
  });

  it('erases the customer on ErasureRequested and answers with SalesErasureCompleted, once', async () => {
    const customerId = await sales.publishCustomer({ tenantId, type: 'person', name: '李四' });
    const activityId = await addActivity(customerId, '李四的家庭住址是……');
    const requestId = randomUUID();
    const erasure = create(ErasureRequestedSchema, { tenantId, requestId, customerId, phones: ['+8613900139000'], emails: ['li4@example.com'], requestedAt: new Date().toISOString() });
    const eventId = randomUUID();
    await sales.publishEvent(ErasureRequestedEvent, erasure, requestId, eventId);
    await sales.publishEvent(ErasureRequestedEvent, erasure, requestId, eventId);

    const [activity] = await sales.queryAsTenant<{ subject: string; notes: string | null; outcome: string | null }>(tenantId, `SELECT subject, notes, outcome FROM activities WHERE id = $1`, [activityId]);
    expect(activity).toEqual({ subject: '[erased]', notes: null, outcome: null });
    const answers = await sales.outboxOf(requestId);
    expect(answers).toEqual([{ type: 'crm.sales.privacy.erasure_completed.v1', data: expect.objectContaining({ requestId, customerId, service: 'sales', recordsAffected: '1' }) }]);
  });

  it('sends a malformed erasure request to the dead letters', async () => {
    const requestId = randomUUID();
    const eventId = randomUUID();
    await sales.publishEvent(ErasureRequestedEvent, create(ErasureRequestedSchema, { tenantId, requestId, customerId: 'not-a-customer' }), requestId, eventId);
    const dead: Array<{ error: string }> = await sales.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE event_id = $1`, [eventId]);
    expect(dead).toEqual([{ error: expect.stringContaining('without a valid customer id') }]);
    expect(await sales.outboxOf(requestId)).toEqual([]);
  });
});
