import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { CurrencyConverter } from '../src/exchange-rates/currency-converter';
import { caller, SalesHarness } from './sales-harness';

const micros = (units: number): string => BigInt(Math.round(units * 1_000_000)).toString();
const cny = (units: number) => ({ amountMicros: micros(units), currency: 'CNY' });

interface Group {
  key: string | null;
  label: string | null;
  orders: number;
  revenue: { amountMicros: string };
  averageDealSize: { amountMicros: string } | null;
  costedRevenue: { amountMicros: string };
  revenueWithoutCost: { amountMicros: string };
  margin: { amountMicros: string };
  marginRate: number | null;
  unconverted: Array<{ currency: string; amountMicros: string; orders: number }>;
}

describe('sales: sales report and exchange rates', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const team1 = randomUUID();
  const team2 = randomUUID();
  const owner1 = caller(tenantId, ['rep'], [team1]);
  const owner2 = caller(tenantId, ['rep'], [team1, team2]);
  const partnerId = randomUUID();
  let productId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_report');
    await sales.publishUser('created', { tenantId, userId: owner1.userId, name: '张伟', roles: ['rep'], teamIds: [team1], version: 1 });
    await sales.publishUser('created', { tenantId, userId: owner2.userId, name: '李娜', roles: ['rep'], teamIds: [team1, team2], version: 1 });
    const east = await sales.publishCustomer({ tenantId, name: '上海浦东贸易', region: '华东' });
    const north = await sales.publishCustomer({ tenantId, name: '北京海淀科技', region: '华北' });

    // USD → CNY 7.0 until 2026-11-14, 7.5 from 2026-11-15; no JPY rate.
    expect((await sales.as(admin).post('/exchange-rates').send({ currency: 'USD', rate: '7', validFrom: '2026-01-01' })).status).toBe(201);
    expect((await sales.as(admin).post('/exchange-rates').send({ currency: 'USD', rate: '7.5', validFrom: '2026-11-15' })).status).toBe(201);

    productId = (await sales.as(admin).post('/products').send({ sku: 'P-1', name: '服务器', category: '硬件', unitPriceMicros: micros(100), currency: 'CNY', unitCostMicros: micros(60) })).body.id;
    const order = async (owner: typeof owner1, body: Record<string, unknown>) => {
      const response = await sales.as(owner).post('/orders').send(body);
      expect(response.status).toBe(201);
      return response.body;
    };
    // 1: 2 × 100 CNY, cost 60 each.
    await order(owner1, { customerId: east, currency: 'CNY', placedAt: '2026-11-03T10:00:00Z', lines: [{ productId, quantity: 2 }] });
    // 2: 10 USD at 7.0 = 70 CNY, cost unknown, through a partner.
    await order(owner1, { customerId: north, currency: 'USD', placedAt: '2026-11-10T10:00:00Z', partnerId, lines: [{ name: '技术支持', quantity: 1, unitPriceMicros: micros(10) }] });
    // 3: 20 USD at 7.5 = 150 CNY, cost 5 USD = 37.5 CNY.
    await order(owner2, { customerId: east, currency: 'USD', placedAt: '2026-11-20T10:00:00Z', lines: [{ name: '许可证', quantity: 1, unitPriceMicros: micros(20), unitCostMicros: micros(5) }] });
    // 4: 1,000 JPY: no rate, reported apart.
    await order(owner2, { customerId: east, currency: 'JPY', placedAt: '2026-11-21T10:00:00Z', lines: [{ name: '配件', quantity: 1, unitPriceMicros: micros(1000) }] });
    // 5: cancelled, never counts.
    const cancelled = await order(owner1, { customerId: east, currency: 'CNY', placedAt: '2026-11-22T10:00:00Z', lines: [{ name: '退单', quantity: 1, unitPriceMicros: micros(999) }] });
    expect((await sales.as(owner1).post(`/orders/${cancelled.id}/cancel`).send({ reason: '重复下单' })).status).toBe(200);
    // 6: October: in 2026-Q4, not in 2026-11.
    await order(owner1, { customerId: east, currency: 'CNY', placedAt: '2026-10-31T23:59:59Z', lines: [{ name: '咨询', quantity: 1, unitPriceMicros: micros(500) }] });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const report = async (groupBy: string, period: string, who = admin) => {
    const response = await sales.as(who).get(`/reports/sales?groupBy=${groupBy}&period=${period}`);
    expect(response.status).toBe(200);
    return response.body as { reportingCurrency: string; groups: Group[]; totals: Omit<Group, 'key' | 'label'> };
  };

  it('reports revenue, orders, average deal size and margin by owner, converted at the rate of each order day', async () => {
    const body = await report('owner', '2026-11');
    expect(body.reportingCurrency).toBe('CNY');
    expect(body.groups).toEqual([
      expect.objectContaining({
        key: owner1.userId,
        label: '张伟',
        orders: 2,
        revenue: cny(270),
        averageDealSize: cny(135),
        costedRevenue: cny(200),
        revenueWithoutCost: cny(70),
        margin: cny(80),
        marginRate: 0.4,
        unconverted: [],
      }),
      expect.objectContaining({
        key: owner2.userId,
        label: '李娜',
        orders: 2,
        revenue: cny(150),
        averageDealSize: cny(150),
        costedRevenue: cny(150),
        margin: cny(112.5),
        marginRate: 0.75,
        unconverted: [{ currency: 'JPY', amountMicros: micros(1000), orders: 1 }],
      }),
    ]);
    expect(body.totals).toMatchObject({ orders: 4, revenue: cny(420), costedRevenue: cny(350), margin: cny(192.5), unconverted: [{ currency: 'JPY', amountMicros: micros(1000), orders: 1 }] });
  });

  it('groups by team (through team membership), region, partner and product', async () => {
    const teams = await report('team', '2026-11');
    expect(teams.groups.map((group) => [group.key, group.orders, group.revenue.amountMicros])).toEqual([
      [team1, 4, micros(420)],
      [team2, 2, micros(150)],
    ]);
    const regions = await report('region', '2026-11');
    expect(regions.groups.map((group) => [group.key, group.orders, group.revenue.amountMicros, group.unconverted.length])).toEqual([
      ['华东', 3, micros(350), 1],
      ['华北', 1, micros(70), 0],
    ]);
    const partners = await report('partner', '2026-11');
    expect(partners.groups.map((group) => [group.key, group.revenue.amountMicros])).toEqual([
      [null, micros(350)],
      [partnerId, micros(70)],
    ]);
    const products = await report('product', '2026-11');
    expect(products.groups[0]).toMatchObject({ key: productId, label: '服务器', category: '硬件', orders: 1, revenue: cny(200), margin: cny(80) });
    expect(products.groups.map((group) => group.key)).toEqual([productId, 'name:许可证', 'name:技术支持', 'name:配件']);
  });

  it('counts an order once per product and once in the totals, however many lines it has', async () => {
    const customerId = await sales.publishCustomer({ tenantId, name: '广州天河商贸', region: '华南' });
    const placed = await sales
      .as(owner1)
      .post('/orders')
      .send({ customerId, currency: 'CNY', placedAt: '2025-06-10T08:00:00Z', lines: [{ productId, quantity: 1 }, { productId, quantity: 2 }, { name: '运费', quantity: 1, unitPriceMicros: micros(10) }] });
    expect(placed.status).toBe(201);
    const products = await report('product', '2025-06');
    expect(products.groups.map((group) => [group.key, group.orders, group.revenue.amountMicros])).toEqual([
      [productId, 1, micros(300)],
      ['name:运费', 1, micros(10)],
    ]);
    expect(products.totals).toMatchObject({ orders: 1, revenue: cny(310), margin: cny(120) });
  });

  it('covers quarters and years, and only the caller’s scope', async () => {
    const quarter = await report('owner', '2026-Q4');
    expect(quarter.groups[0]).toMatchObject({ key: owner1.userId, orders: 3, revenue: cny(770) });
    const own = await report('owner', '2026', owner2);
    expect(own.groups.map((group) => group.key)).toEqual([owner2.userId]);
    expect(own.totals.revenue).toEqual(cny(150));
    expect((await sales.as(admin).get('/reports/sales?groupBy=owner&period=2026-13')).status).toBe(400);
    expect((await sales.as(admin).get('/reports/sales?groupBy=city&period=2026')).status).toBe(400);
  });

  it('keeps rates per reporting currency: after a switch to USD, CNY revenue is reported apart until rates to USD exist', async () => {
    const settings = await sales.as(admin).get('/sales-settings');
    expect(settings.body).toMatchObject({ reportingCurrency: 'CNY', renewalReminderDays: 30 });
    expect((await sales.as(admin).put('/sales-settings').set('If-Match', '"5"').send({ reportingCurrency: 'USD' })).status).toBe(412);
    const switched = await sales.as(admin).put('/sales-settings').set('If-Match', settings.headers.etag).send({ reportingCurrency: 'USD' });
    expect(switched.body).toMatchObject({ reportingCurrency: 'USD', version: 1 });

    const usd = await report('owner', '2026-11');
    expect(usd.reportingCurrency).toBe('USD');
    expect(usd.totals.revenue).toEqual({ amountMicros: micros(30), currency: 'USD' });
    expect(usd.totals.unconverted).toEqual([
      { currency: 'CNY', amountMicros: micros(200), orders: 1 },
      { currency: 'JPY', amountMicros: micros(1000), orders: 1 },
    ]);
    expect((await sales.as(admin).get('/exchange-rates')).body).toEqual({ reportingCurrency: 'USD', items: [] });

    expect((await sales.as(admin).put('/sales-settings').send({ reportingCurrency: 'CNY' })).body.version).toBe(2);
    const rates = (await sales.as(admin).get('/exchange-rates')).body;
    expect(rates.items.map((rate: { currency: string; rate: string; validFrom: string; validTo: string | null }) => [rate.currency, rate.rate, rate.validFrom, rate.validTo])).toEqual([
      ['USD', '7', '2026-01-01', '2026-11-15'],
      ['USD', '7.5', '2026-11-15', null],
    ]);
    expect((await sales.as(admin).post('/exchange-rates').send({ currency: 'CNY', rate: '1', validFrom: '2026-01-01' })).status).toBe(422);
    expect((await sales.as(admin).post('/exchange-rates').send({ currency: 'USD', rate: '0', validFrom: '2026-01-01' })).status).toBe(422);
    expect((await sales.as(admin).post('/exchange-rates').send({ currency: 'USD', rate: '7.1', validFrom: '2026-01-01' })).status).toBe(200);
    expect((await sales.as(owner1).post('/exchange-rates').send({ currency: 'USD', rate: '7.1', validFrom: '2026-01-01' })).status).toBe(403);
    expect((await sales.as(admin).delete('/exchange-rates/USD/2026-11-15')).status).toBe(204);
    expect((await sales.as(admin).delete('/exchange-rates/USD/2026-11-15')).status).toBe(404);
    // Now 7.1 all month: (10 + 20) × 7.1 = 213 with 200 CNY.
    expect((await report('owner', '2026-11')).totals.revenue).toEqual(cny(413));
  });

  it('converts single amounts at the rate valid on a day, or tells there is none', async () => {
    // Rates as the previous test left them: USD 7.1 from 2026-01-01, reporting currency CNY.
    const converter = sales.running.app.get(CurrencyConverter);
    const convert = (micros: bigint, currency: string, day: string) =>
      sales.running.app.get(TenantTransactions).runForTenant(tenantId, (manager) => converter.convert(manager, micros, currency, day));
    expect(await convert(10_000_000n, 'USD', '2026-06-30')).toBe(71_000_000n);
    expect(await convert(10_000_000n, 'USD', '2025-12-31')).toBeNull();
    expect(await convert(10_000_000n, 'CNY', '2020-01-01')).toBe(10_000_000n);
    expect(await convert(10_000_000n, 'JPY', '2026-06-30')).toBeNull();
  });
});
