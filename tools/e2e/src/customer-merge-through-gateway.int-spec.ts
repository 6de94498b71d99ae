import { randomUUID } from 'node:crypto';
import { CrmUnderTest } from './crm-under-test';
import { CustomerServices, eventually } from './customer-services';

/**
 * Customer merges across services, the way clients see them: the customers service merges, sales
 * re-points its records of the merged customer to the survivor when CustomerMerged reaches it, and
 * moves exactly those back when the merge is undone.
 */
jest.setTimeout(120_000);

describe('customer merges through the gateway', () => {
  let services: CustomerServices;
  let crm: CrmUnderTest;
  let admin: string;

  beforeAll(async () => {
    services = await CustomerServices.start('e2e_merges');
    crm = await CrmUnderTest.start('e2e_merges', { gateway: services.gatewayEnv });
    admin = (await crm.signup('合并测试有限公司', `ops-${randomUUID().slice(0, 8)}@example.com`)).accessToken;
  });

  afterAll(async () => {
    await crm?.stop();
    await services?.stop();
  });

  const createCustomer = async (name: string, phone: string): Promise<string> => {
    const created = await crm.call('POST', '/customers', { token: admin, body: { type: 'company', name, phones: [phone] } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  const placeOrder = async (customerId: string): Promise<string> => {
    // The order needs the customer in sales' directory, which CustomerCreated fills after the commit.
    const placed = await eventually(
      () => crm.call('POST', '/orders', { token: admin, body: { customerId, currency: 'CNY', lines: [{ name: '年度服务', quantity: 1, unitPriceMicros: '120000000000' }] } }),
      (response) => response.status === 201,
    );
    expect(placed.status).toBe(201);
    return placed.body.id as string;
  };

  const customerOfOrder = async (orderId: string): Promise<string> => (await crm.call('GET', `/orders/${orderId}`, { token: admin })).body.customerId as string;

  it("re-points the merged customer's orders to the survivor, and back when the merge is undone", async () => {
    const survivorId = await createCustomer('杭州远帆网络科技有限公司', '0571-8888 6666');
    const mergedId = await createCustomer('远帆网络', '13666668888');
    const mergedOrder = await placeOrder(mergedId);
    const survivorOrder = await placeOrder(survivorId);
    // The customers service follows the orders (lifecycle stage 新客户); a merge undone later must find the survivor as the merge left it.
    for (const customerId of [survivorId, mergedId]) {
      const customer = await eventually(async () => (await crm.call('GET', `/customers/${customerId}`, { token: admin })).body, (body) => body.lifecycleStage === 'new');
      expect(customer.lifecycleStage).toBe('new');
    }

    const merge = await crm.call('POST', '/customers/merge', { token: admin, body: { survivorId, mergedIds: [mergedId] } });
    expect(merge.status).toBe(201);
    expect(await eventually(() => customerOfOrder(mergedOrder), (customerId) => customerId === survivorId)).toBe(survivorId);
    expect(await customerOfOrder(survivorOrder)).toBe(survivorId);
    // The merged customer is gone from sales' directory too: no new orders for it.
    expect((await crm.call('POST', '/orders', { token: admin, body: { customerId: mergedId, currency: 'CNY', lines: [{ name: '补单', quantity: 1, unitPriceMicros: '1000000' }] } })).status).toBe(422);

    const undo = await crm.call('POST', `/customers/merges/${merge.body.mergeId}/undo`, { token: admin });
    expect(undo.body.errors ?? []).toEqual([]);
    expect(undo.status).toBeLessThan(300);
    expect(await eventually(() => customerOfOrder(mergedOrder), (customerId) => customerId === mergedId)).toBe(mergedId);
    expect(await customerOfOrder(survivorOrder)).toBe(survivorId);
  });
});
