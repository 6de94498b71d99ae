import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { CustomerErasedEvent, CustomerErasedSchema, CustomerMergedEvent, CustomerMergedSchema, CustomerMergeUndoneEvent, CustomerMergeUndoneSchema, CustomerSchema, RestoredCustomerSchema } from '@crm/contracts';
import { SalesHarness } from './sales-harness';

describe('sales: read models of users and customers', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_read_models');
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('keeps users with roles, teams and seniority, ignoring older snapshots', async () => {
    const userId = randomUUID();
    const teamId = randomUUID();
    await sales.publishUser('created', { tenantId, userId, name: '王销售', roles: ['rep'], teamIds: [teamId], seniority: 'senior', version: 2 });
    await sales.publishUser('updated', { tenantId, userId, name: '旧名字', roles: ['rep'], seniority: 'junior', version: 1 });
    const [user] = await sales.queryAsTenant<{ name: string; seniority: string; roles: string[] }>(tenantId, `SELECT name, seniority, roles FROM users WHERE id = $1`, [userId]);
    expect(user).toEqual({ name: '王销售', seniority: 'senior', roles: ['rep'] });
    const members = await sales.queryAsTenant(tenantId, `SELECT user_id FROM user_team_members WHERE team_id = $1`, [teamId]);
    expect(members).toHaveLength(1);
  });

  it('keeps live customers with their contact keys and retires erased ones', async () => {
    const customerId = await sales.publishCustomer({ tenantId, name: '上海云启科技有限公司', phones: ['+8613800138000'], emails: ['li@yunqi.cn'] });
    const keys = await sales.queryAsTenant<{ contact_key: string }>(tenantId, `SELECT contact_key FROM customer_contact_keys WHERE customer_id = $1 ORDER BY 1`, [customerId]);
    expect(keys.map((key) => key.contact_key)).toEqual(['e:li@yunqi.cn', 'p:+8613800138000']);

    await sales.publishEvent(CustomerErasedEvent, create(CustomerErasedSchema, { tenantId, customerId, requestId: randomUUID(), version: 2n }), customerId);
    const [row] = await sales.queryAsTenant<{ status: string; name: string }>(tenantId, `SELECT status, name FROM customer_directory WHERE id = $1`, [customerId]);
    expect(row).toEqual({ status: 'erased', name: '' });
    expect(await sales.queryAsTenant(tenantId, `SELECT 1 FROM customer_contact_keys WHERE customer_id = $1`, [customerId])).toHaveLength(0);
  });

  it('re-points activities of merged customers to the survivor and back when the merge is undone', async () => {
    const ownerId = randomUUID();
    const survivorId = await sales.publishCustomer({ tenantId, name: '北京星河贸易有限公司' });
    const mergedId = await sales.publishCustomer({ tenantId, name: '星河贸易' });
    const activityId = randomUUID();
    await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, status, owner_id, customer_id) VALUES ($1, $2, 'note', '拜访记录', 'done', $3, $4)`, [activityId, tenantId, ownerId, mergedId]);
    const mergeId = randomUUID();
    const survivor = create(CustomerSchema, { type: 'company', name: '北京星河贸易有限公司' });
    const merged = create(CustomerMergedSchema, { tenantId, customerId: survivorId, mergeId, mergedCustomerIds: [mergedId], customer: survivor, version: 2n });
    await sales.publishEvent(CustomerMergedEvent, merged, survivorId);
    await sales.publishEvent(CustomerMergedEvent, merged, survivorId);
    const customerOf = async (): Promise<string> => (await sales.queryAsTenant<{ customer_id: string }>(tenantId, `SELECT customer_id FROM activities WHERE id = $1`, [activityId]))[0].customer_id;
    expect(await customerOf()).toBe(survivorId);
    const [status] = await sales.queryAsTenant<{ status: string; merged_into: string }>(tenantId, `SELECT status, merged_into FROM customer_directory WHERE id = $1`, [mergedId]);
    expect(status).toEqual({ status: 'merged', merged_into: survivorId });

    const restored = create(RestoredCustomerSchema, { customerId: mergedId, customer: create(CustomerSchema, { type: 'company', name: '星河贸易' }), version: 3n });
    await sales.publishEvent(CustomerMergeUndoneEvent, create(CustomerMergeUndoneSchema, { tenantId, customerId: survivorId, mergeId, customer: survivor, version: 3n, restored: [restored] }), survivorId);
    expect(await customerOf()).toBe(mergedId);
    const [back] = await sales.queryAsTenant<{ status: string }>(tenantId, `SELECT status FROM customer_directory WHERE id = $1`, [mergedId]);
    expect(back.status).toBe('active');
  });
});
