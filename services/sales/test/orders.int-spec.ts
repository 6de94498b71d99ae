import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: products and orders', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const rep = caller(tenantId, ['rep']);
  const otherRep = caller(tenantId, ['rep']);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_orders');
    customerId = await sales.publishCustomer({ tenantId, name: '杭州西湖茶业有限公司', region: '华东' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('computes totals in micros from lines and the catalog, and emits OrderPlaced with what analytics and marketing need', async () => {
    const product = await sales.as(admin).post('/products').send({ sku: 'TEA-LJ-500', name: '龙井 500g', category: '茶叶', unitPriceMicros: '300000000', currency: 'CNY', unitCostMicros: '120000000' });
    expect(product.status).toBe(201);
    const partnerId = randomUUID();

    const created = await sales
      .as(rep)
      .post('/orders')
      .send({
        customerId,
        currency: 'CNY',
        lines: [
          { productId: product.body.id, quantity: 3, discountMicros: '50000000' },
          { name: '包装服务', quantity: 1.5, unitPriceMicros: '20000000' },
        ],
        discountMicros: '10000000',
        couponCodes: ['SPRING2026'],
        channel: 'web',
        partnerId,
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'placed',
      ownerId: rep.userId,
      customerId,
      subtotal: { amountMicros: '880000000', currency: 'CNY' },
      discount: { amountMicros: '10000000', currency: 'CNY' },
      total: { amountMicros: '870000000', currency: 'CNY' },
      couponCodes: ['SPRING2026'],
      channel: 'web',
      partnerId,
      version: 1,
    });
    expect(created.body.orderNumber).toMatch(/^SO-\d{4}-000001$/);
    expect(created.body.lines[0]).toMatchObject({ sku: 'TEA-LJ-500', name: '龙井 500g', category: '茶叶', quantity: 3, lineTotal: { amountMicros: '850000000' }, unitCost: { amountMicros: '120000000' } });
    expect(created.body.lines[1]).toMatchObject({ name: '包装服务', quantity: 1.5, lineTotal: { amountMicros: '30000000' }, unitCost: null });

    const [event] = await sales.outboxOf(created.body.id);
    expect(event.type).toBe('crm.sales.order.placed.v1');
    expect(event.data).toMatchObject({
      tenantId,
      orderId: created.body.id,
      customerId,
      currency: 'CNY',
      subtotalMicros: '880000000',
      discountMicros: '10000000',
      totalAmountMicros: '870000000',
      couponCodes: ['SPRING2026'],
      channel: 'web',
      partnerId,
      ownerId: rep.userId,
      placedBy: rep.userId,
      version: '1',
    });
    expect(event.data.lines).toEqual([
      expect.objectContaining({ productId: product.body.id, sku: 'TEA-LJ-500', category: '茶叶', quantity: 3, unitPriceMicros: '300000000', discountMicros: '50000000', lineTotalMicros: '850000000', unitCostMicros: '120000000' }),
      expect.not.objectContaining({ unitCostMicros: expect.anything() }),
    ]);
    // Margin columns for the sales report: only the costed line counts, with its share of the order discount.
    const [margin] = await sales.queryAsTenant<{ costed_revenue_micros: string; cost_micros: string }>(tenantId, `SELECT costed_revenue_micros, cost_micros FROM orders WHERE id = $1`, [created.body.id]);
    expect(margin.cost_micros).toBe('360000000');
    // 10 CNY order discount over 850:30 → 9.659091 on the costed line (largest remainder), so 850 − 9.659091.
    expect(margin.costed_revenue_micros).toBe('840340909');
  });

  it('moves placed → paid → fulfilled with events, refuses other moves, and cancels from placed or paid', async () => {
    const order = (await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '礼盒', quantity: 2, unitPriceMicros: '99000000' }] })).body;
    expect((await sales.as(rep).post(`/orders/${order.id}/fulfil`)).status).toBe(409);
    const paid = await sales.as(rep).post(`/orders/${order.id}/pay`).set('If-Match', '"1"');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', version: 2 });
    expect((await sales.as(rep).post(`/orders/${order.id}/pay`).set('If-Match', '"1"')).status).toBe(412);
    const fulfilled = await sales.as(rep).post(`/orders/${order.id}/fulfil`);
    expect(fulfilled.body).toMatchObject({ status: 'fulfilled', version: 3 });
    expect((await sales.as(rep).post(`/orders/${order.id}/cancel`).send({ reason: '太晚了' })).status).toBe(409);
    expect((await sales.outboxOf(order.id)).map((event) => event.type)).toEqual(['crm.sales.order.placed.v1', 'crm.sales.order.paid.v1', 'crm.sales.order.fulfilled.v1']);

    const second = (await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '礼盒', quantity: 1, unitPriceMicros: '99000000' }] })).body;
    const cancelled = await sales.as(rep).post(`/orders/${second.id}/cancel`).send({ reason: '客户取消' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '客户取消' });
    expect((await sales.as(rep).post(`/orders/${second.id}/pay`)).status).toBe(409);
    const events = await sales.outboxOf(second.id);
    expect(events[1]).toMatchObject({ type: 'crm.sales.order.cancelled.v1', data: { reason: '客户取消', totalAmountMicros: '99000000', cancelledBy: rep.userId, version: '2' } });
  });

  it('refuses customers that are not live, unknown products and discounts above the amount (422)', async () => {
    const unknown = await sales.as(rep).post('/orders').send({ customerId: randomUUID(), currency: 'CNY', lines: [{ name: 'x', quantity: 1, unitPriceMicros: '1' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('customer_not_found');
    const product = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ productId: randomUUID(), quantity: 1 }] });
    expect(product.status).toBe(422);
    const discount = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: 'x', quantity: 1, unitPriceMicros: '100' }], discountMicros: '101' });
    expect(discount.body.code).toBe('order_amounts_invalid');
    const float = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: 'x', quantity: 1, unitPriceMicros: 1.5 }] });
    expect(float.status).toBe(400);
  });

  it('makes externalId an idempotent upsert: same content returns the order, different content is 409, status moves forward', async () => {
    const payload = { customerId, currency: 'USD', externalId: 'TMALL-0001', channel: 'web', lines: [{ sku: 'A1', name: '茶具', quantity: 1, unitPriceMicros: '50000000' }] };
    const first = await sales.as(rep).post('/orders').send(payload);
    expect(first.status).toBe(201);
    const again = await sales.as(rep).post('/orders').send(payload);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, version: 1 });
    const changed = await sales.as(rep).post('/orders').send({ ...payload, lines: [{ ...payload.lines[0], quantity: 2 }] });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('external_order_conflict');

    const synced = await sales.as(rep).put('/orders/by-external-id/TMALL-0001').send({ ...payload, externalId: undefined, status: 'fulfilled' });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ id: first.body.id, status: 'fulfilled', version: 3 });
    const replay = await sales.as(rep).put('/orders/by-external-id/TMALL-0001').send({ ...payload, externalId: undefined, status: 'paid' });
    expect(replay.body).toMatchObject({ status: 'fulfilled', version: 3 });
    expect((await sales.outboxOf(first.body.id)).map((event) => event.type)).toEqual(['crm.sales.order.placed.v1', 'crm.sales.order.paid.v1', 'crm.sales.order.fulfilled.v1']);

    const concurrent = await Promise.all([1, 2, 3].map(() => sales.as(rep).put('/orders/by-external-id/JD-777').send({ ...payload, externalId: undefined })));
    expect(concurrent.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(concurrent.map((response) => response.body.id)).size).toBe(1);
  });

  it('upserts batches with one result per item', async () => {
    const line = { name: '茶叶', quantity: 1, unitPriceMicros: '1000000' };
    const response = await sales
      .as(admin)
      .post('/orders/batch')
      .send({
        items: [
          { externalId: 'ERP-1', customerId, currency: 'CNY', lines: [line], status: 'paid' },
          { externalId: 'ERP-2', customerId: randomUUID(), currency: 'CNY', lines: [line] },
          { externalId: 'ERP-1', customerId, currency: 'CNY', lines: [line], status: 'paid' },
        ],
      });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: 1, unchanged: 1, failed: 1, updated: 0 });
    expect(response.body.items[1]).toMatchObject({ result: 'failed', code: 'customer_not_found' });
  });

  it('keeps a lean catalog: unique SKUs, versioned changes', async () => {
    const created = await sales.as(admin).post('/products').send({ sku: 'TEA-BLR-250', name: '碧螺春 250g', unitPriceMicros: '150000000', currency: 'CNY' });
    expect(created.body).toMatchObject({ unitCost: null, active: true, version: 1 });
    expect((await sales.as(admin).post('/products').send({ sku: 'TEA-BLR-250', name: '重复', unitPriceMicros: '1', currency: 'CNY' })).status).toBe(409);
    expect((await sales.as(rep).post('/products').send({ sku: 'X', name: 'x', unitPriceMicros: '1', currency: 'CNY' })).status).toBe(403);
    const changed = await sales.as(admin).patch(`/products/${created.body.id}`).set('If-Match', '"1"').send({ unitCostMicros: '80000000', category: '茶叶' });
    expect(changed.body).toMatchObject({ unitCost: { amountMicros: '80000000', currency: 'CNY' }, category: '茶叶', version: 2 });
    expect((await sales.as(admin).patch(`/products/${created.body.id}`).set('If-Match', '"1"').send({ active: false })).status).toBe(412);
    const listed = await sales.as(rep).get('/products?category=茶叶');
    expect(listed.body.items.map((product: { sku: string }) => product.sku).sort()).toEqual(['TEA-BLR-250', 'TEA-LJ-500']);
  });

  it('shows orders in the ownership scope only', async () => {
    const order = (await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '茶', quantity: 1, unitPriceMicros: '1' }] })).body;
    expect((await sales.as(otherRep).get(`/orders/${order.id}`)).status).toBe(404);
    expect((await sales.as(otherRep).post(`/orders/${order.id}/pay`)).status).toBe(404);
    expect((await sales.as(admin).get(`/orders/${order.id}`)).status).toBe(200);
    const mine = await sales.as(rep).get('/orders?limit=2&total=true');
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.total).toBeGreaterThanOrEqual(5);
    const next = await sales.as(rep).get(`/orders?limit=2&cursor=${mine.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(mine.body.items[1].id);
    expect((await sales.as(otherRep).get('/orders')).body.items).toHaveLength(0);
  });

  it("shows a manager their team members' orders", async () => {
    const teamId = randomUUID();
    const member = caller(tenantId, ['rep'], [teamId]);
    await sales.publishUser('created', { tenantId, userId: member.userId, name: '团队成员', roles: ['rep'], teamIds: [teamId], version: 1 });
    const order = (await sales.as(member).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '茶', quantity: 1, unitPriceMicros: '1' }] })).body;
    expect((await sales.as(caller(tenantId, ['manager'], [teamId])).get(`/orders/${order.id}`)).status).toBe(200);
    expect((await sales.as(caller(tenantId, ['manager'], [randomUUID()])).get(`/orders/${order.id}`)).status).toBe(404);
  });
});
