import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: partners, quotas and the partner analysis', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const ownerId = randomUUID();
  const manager = caller(tenantId, ['manager'], [], randomUUID());
  const rep = caller(tenantId, ['rep'], [], ownerId);
  const M = 1_000_000n;
  let eastPartner: string;
  let westPartner: string;
  let customerId: string;

  const addOrder = async (partnerId: string | null, currency: string, totalUnits: bigint, placedAt: string, status = 'placed', lines: Array<{ productId: string; name: string; qty: number; netUnits: bigint }> = []): Promise<string> => {
    const id = randomUUID();
    await sales.queryAsTenant(
      tenantId,
      `INSERT INTO orders (id, tenant_id, order_number, payload_hash, customer_id, owner_id, status, currency, subtotal_micros, total_micros, partner_id, placed_at)
       VALUES ($1, $2, $3, 'h', $4, $5, $6, $7, $8, $8, $9, $10)`,
      [id, tenantId, `SO-${id.slice(0, 8)}`, customerId, ownerId, status, currency, (totalUnits * M).toString(), partnerId, placedAt],
    );
    for (const [index, line] of lines.entries()) {
      await sales.queryAsTenant(
        tenantId,
        `INSERT INTO order_lines (id, tenant_id, order_id, line_no, product_id, name, quantity, unit_price_micros, line_total_micros, net_micros,
                                  placed_at, currency, owner_id, cancelled, first_of_product)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8, $9, $10, $11, $12, $13)`,
        [
          randomUUID(),
          tenantId,
          id,
          index + 1,
          line.productId,
          line.name,
          line.qty,
          (line.netUnits * M).toString(),
          placedAt,
          currency,
          ownerId,
          status === 'cancelled',
          lines.findIndex((other) => other.productId === line.productId) === index,
        ],
      );
    }
    return id;
  };

  const addLead = async (partnerId: string, status: string, createdAt: string): Promise<void> => {
    await sales.queryAsTenant(
      tenantId,
      `INSERT INTO leads (id, tenant_id, channel, status, contact_name, partner_id, score, last_interaction_at, created_at, updated_at)
       VALUES ($1, $2, 'partner_referral', $3, '联系人', $4, 50, $5, $5, $5)`,
      [randomUUID(), tenantId, status, partnerId, createdAt],
    );
  };

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_partners');
    customerId = await sales.publishCustomer({ tenantId, name: '渠道客户' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('manages partners with sales:configure, unique names and If-Match', async () => {
    const created = await sales
      .as(manager)
      .post('/partners')
      .send({ name: '华东分销商', kind: 'distributor', region: '华东', contactName: '张经理', contactEmail: 'Zhang@Partner.CN', commissionRateBp: 500 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '华东分销商', kind: 'distributor', region: '华东', status: 'active', contactEmail: 'zhang@partner.cn', commissionRateBp: 500, version: 1 });
    eastPartner = created.body.id;
    const west = await sales.as(manager).post('/partners').send({ name: '西部代理', kind: 'agent', region: '西南' });
    westPartner = west.body.id;

    expect((await sales.as(manager).post('/partners').send({ name: '华东分销商', kind: 'reseller' })).status).toBe(409);
    expect((await sales.as(manager).post('/partners').send({ name: 'x', kind: 'franchise' })).status).toBe(400);
    expect((await sales.as(rep).post('/partners').send({ name: 'x', kind: 'agent' })).status).toBe(403);
    expect((await sales.as(manager).patch(`/partners/${eastPartner}`).set('If-Match', '"5"').send({ status: 'inactive' })).status).toBe(412);
    const updated = await sales.as(manager).patch(`/partners/${eastPartner}`).set('If-Match', '"1"').send({ notes: '年度重点渠道', commissionRateBp: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ notes: '年度重点渠道', commissionRateBp: null, version: 2 });
    const list = await sales.as(rep).get('/partners?kind=agent&total=true');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(westPartner);
  });

  it('sets quotas per period in the reporting currency', async () => {
    const quota = await sales.as(manager).put(`/partners/${eastPartner}/quotas/2026-Q4`).send({ amount: { amountMicros: (1000n * M).toString(), currency: 'CNY' } });
    expect(quota.status).toBe(200);
    expect(quota.body).toEqual({ period: '2026-Q4', periodStart: '2026-10-01', periodEnd: '2026-12-31', amount: { amountMicros: '1000000000', currency: 'CNY' } });
    const replaced = await sales.as(manager).put(`/partners/${eastPartner}/quotas/2026-Q4`).send({ amount: { amountMicros: (2000n * M).toString(), currency: 'CNY' } });
    expect(replaced.body.amount.amountMicros).toBe('2000000000');
    await sales.as(manager).put(`/partners/${westPartner}/quotas/2026-Q4`).send({ amount: { amountMicros: (500n * M).toString(), currency: 'CNY' } });
    expect((await sales.as(manager).put(`/partners/${eastPartner}/quotas/2026-Q5`).send({ amount: { amountMicros: '1', currency: 'CNY' } })).status).toBe(400);
    const usd = await sales.as(manager).put(`/partners/${eastPartner}/quotas/2026`).send({ amount: { amountMicros: '1', currency: 'USD' } });
    expect(usd.status).toBe(422);
    expect((await sales.as(rep).get(`/partners/${eastPartner}/quotas`)).body).toHaveLength(1);
  });

  it('computes attainment from orders (converted to the reporting currency) and referral leads', async () => {
    await sales.queryAsTenant(tenantId, `INSERT INTO exchange_rates (tenant_id, currency, to_currency, valid_from, rate) VALUES ($1, 'USD', 'CNY', '2026-01-01', 7)`, [tenantId]);
    const productA = randomUUID();
    const productB = randomUUID();
    await addOrder(eastPartner, 'CNY', 800n, '2026-10-15T02:00:00Z', 'placed', [
      { productId: productA, name: '标准版', qty: 2, netUnits: 600n },
      { productId: productB, name: '专业版', qty: 1, netUnits: 200n },
    ]);
    await addOrder(eastPartner, 'USD', 100n, '2026-11-20T02:00:00Z', 'paid', [{ productId: productA, name: '标准版', qty: 1, netUnits: 100n }]);
    await addOrder(eastPartner, 'EUR', 50n, '2026-12-01T02:00:00Z');
    await addOrder(eastPartner, 'CNY', 999n, '2026-11-01T00:00:00Z', 'cancelled');
    await addOrder(eastPartner, 'CNY', 999n, '2026-09-30T23:59:59Z');
    await addOrder(westPartner, 'CNY', 300n, '2026-12-31T23:59:59Z', 'fulfilled', [{ productId: productB, name: '专业版', qty: 3, netUnits: 300n }]);
    await addOrder(null, 'CNY', 5000n, '2026-11-11T00:00:00Z');
    await addLead(eastPartner, 'converted', '2026-10-02T00:00:00Z');
    await addLead(eastPartner, 'new', '2026-11-02T00:00:00Z');
    await addLead(eastPartner, 'new', '2027-01-02T00:00:00Z');
    await addLead(westPartner, 'qualified', '2026-12-02T00:00:00Z');

    const res = await sales.as(rep).get(`/partners/${eastPartner}/attainment?period=2026-Q4`);
    expect(res.status).toBe(200);
    // 800 CNY + 100 USD × 7 = 1,500 CNY against 2,000: 75 %; 50 EUR has no rate.
    expect(res.body).toEqual({
      partnerId: eastPartner,
      period: '2026-Q4',
      orders: 3,
      revenue: { amountMicros: (1500n * M).toString(), currency: 'CNY' },
      unconverted: [{ currency: 'EUR', amountMicros: (50n * M).toString() }],
      referralLeads: 2,
      convertedReferralLeads: 1,
      quota: { amountMicros: (2000n * M).toString(), currency: 'CNY' },
      attainment: 75,
    });
    const october = await sales.as(rep).get(`/partners/${eastPartner}/attainment?period=2026-10`);
    expect(october.body).toMatchObject({ orders: 1, revenue: { amountMicros: (800n * M).toString() }, quota: null, attainment: null, referralLeads: 1 });
    expect((await sales.as(rep).get(`/partners/${eastPartner}/attainment?period=Q4`)).status).toBe(400);
    expect((await sales.as(rep).get(`/partners/${randomUUID()}/attainment?period=2026`)).status).toBe(404);
  });

  it('reports sales through partners by partner, region and product', async () => {
    const byPartner = await sales.as(rep).get('/reports/partners?period=2026-Q4&groupBy=partner');
    expect(byPartner.status).toBe(200);
    expect(byPartner.body.reportingCurrency).toBe('CNY');
    expect(byPartner.body.rows).toMatchObject([
      { key: eastPartner, label: '华东分销商', orders: 3, revenue: { amountMicros: (1500n * M).toString() }, referralLeads: 2, attainment: 75 },
      { key: westPartner, label: '西部代理', orders: 1, revenue: { amountMicros: (300n * M).toString() }, referralLeads: 1, convertedReferralLeads: 0, attainment: 60 },
    ]);

    const byRegion = await sales.as(rep).get('/reports/partners?period=2026-Q4&groupBy=region');
    expect(byRegion.body.rows.map((row: { key: string; orders: number }) => [row.key, row.orders])).toEqual([
      ['华东', 3],
      ['西南', 1],
    ]);
    expect(byRegion.body.rows[0].quota).toEqual({ amountMicros: (2000n * M).toString(), currency: 'CNY' });

    const byProduct = await sales.as(rep).get('/reports/partners?period=2026-Q4&groupBy=product');
    // 标准版: 600 CNY + 100 USD × 7 = 1,300 CNY (3 units, 2 orders); 专业版: 200 + 300 = 500 CNY (4 units, 2 orders)
    expect(byProduct.body.rows).toMatchObject([
      { label: '标准版', orders: 2, quantity: '3.000000', revenue: { amountMicros: (1300n * M).toString() } },
      { label: '专业版', orders: 2, quantity: '4.000000', revenue: { amountMicros: (500n * M).toString() } },
    ]);
    expect((await sales.as(rep).get('/reports/partners?period=2026-Q4&groupBy=owner')).status).toBe(400);
  });
});
