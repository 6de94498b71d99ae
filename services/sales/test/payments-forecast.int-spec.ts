import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { caller, SalesHarness } from './sales-harness';

const M = 1_000_000n;
const micros = (units: number): string => (BigInt(Math.round(units * 1000)) * (M / 1000n)).toString();

describe('sales: payment forecast', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const owner1 = caller(tenantId, ['rep']);
  const owner2 = caller(tenantId, ['rep']);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_payment_forecast');
    customerId = await sales.publishCustomer({ tenantId, name: '成都天府软件有限公司' });
    // USD → CNY: 7.0 all year, 7.2 from December; no EUR rate at all.
    for (const [validFrom, rate] of [
      ['2026-01-01', '7'],
      ['2026-12-01', '7.2'],
    ]) {
      expect((await sales.as(admin).put(`/exchange-rates/USD/${validFrom}`).send({ rate })).status).toBe(201);
    }

    const contract = async (owner: typeof owner1, currency: string, instalments: Array<[string, number]>, statuses: string[]) => {
      const amount = instalments.reduce((sum, [, units]) => sum + units, 0);
      const created = (await sales.as(owner).post('/contracts').send({ customerId, title: `${currency} 合同`, amountMicros: micros(amount), currency, startDate: '2026-01-01', endDate: '2027-12-31' })).body;
      const scheduled = await sales
        .as(owner)
        .put(`/contracts/${created.id}/schedule`)
        .send({ instalments: instalments.map(([dueDate, units]) => ({ dueDate, amountMicros: micros(units) })) });
      expect(scheduled.status).toBe(200);
      for (const status of statuses) expect((await sales.as(owner).patch(`/contracts/${created.id}`).send({ status })).status).toBe(200);
      return created;
    };

    const a = await contract(
      owner1,
      'CNY',
      [
        ['2026-08-01', 100],
        ['2026-10-10', 200],
        ['2026-11-20', 300],
        ['2026-12-15', 400],
        ['2027-01-10', 500],
        ['2027-03-01', 50],
      ],
      ['signed'],
    );
    // 50 received: applied to the oldest instalment (2026-08-01), leaving 50 of it open.
    expect((await sales.as(owner1).post(`/contracts/${a.id}/receipts`).send({ amountMicros: micros(50), receivedAt: '2026-08-05T00:00:00Z' })).status).toBe(201);
    await contract(
      owner2,
      'USD',
      [
        ['2026-09-01', 5],
        ['2026-11-30', 10],
        ['2026-12-31', 20],
      ],
      ['signed', 'active'],
    );
    await contract(owner2, 'EUR', [['2026-12-01', 1000]], ['signed']);
    // Not owed: a draft, and a terminated contract.
    await contract(owner1, 'CNY', [['2026-12-01', 999]], []);
    await contract(owner1, 'CNY', [['2026-12-01', 777]], ['signed', 'terminated']);
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('sums open instalments by due month and overdue by days past due, converted to the reporting currency', async () => {
    const response = await sales.as(admin).get('/reports/payment-forecast?from=2026-11-01&to=2027-01-31&asOf=2026-11-23');
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report.reportingCurrency).toBe('CNY');
    expect(report.months).toEqual([
      // 300 CNY + 10 USD × 7.0
      { month: '2026-11', expected: { amountMicros: micros(370), currency: 'CNY' }, instalments: 2, unconverted: [] },
      // 400 CNY + 20 USD × 7.2; 1,000 EUR has no rate and is listed, not dropped
      { month: '2026-12', expected: { amountMicros: micros(544), currency: 'CNY' }, instalments: 3, unconverted: [{ currency: 'EUR', amountMicros: micros(1000), instalments: 1 }] },
      { month: '2027-01', expected: { amountMicros: micros(500), currency: 'CNY' }, instalments: 1, unconverted: [] },
    ]);
    expect(report.expected).toEqual({ amountMicros: micros(1414), currency: 'CNY' });

    // As of 2026-11-23: 50 open of 2026-08-01 (114 days), 200 of 2026-10-10 (44), 300 of 2026-11-20 (3), 5 USD of 2026-09-01 (83 → 35 CNY).
    expect(report.overdue.total).toEqual({ amountMicros: micros(585), currency: 'CNY' });
    expect(report.overdue.instalments).toBe(4);
    expect(report.overdue.buckets.map((bucket: { bucket: string; amount: { amountMicros: string }; instalments: number }) => [bucket.bucket, bucket.amount.amountMicros, bucket.instalments])).toEqual([
      ['1-30', micros(300), 1],
      ['31-60', micros(200), 1],
      ['61-90', micros(35), 1],
      ['90+', micros(50), 1],
    ]);
    expect(report.overdue.oldest.map((row: { dueDate: string; daysOverdue: number; bucket: string; open: { amountMicros: string; currency: string } }) => [row.dueDate, row.daysOverdue, row.bucket, row.open.amountMicros, row.open.currency])).toEqual([
      ['2026-08-01', 114, '90+', micros(50), 'CNY'],
      ['2026-09-01', 83, '61-90', micros(5), 'USD'],
      ['2026-10-10', 44, '31-60', micros(200), 'CNY'],
      ['2026-11-20', 3, '1-30', micros(300), 'CNY'],
    ]);

    expect(report.owners.map((owner: { ownerId: string; expected: { amountMicros: string }; overdue: { amountMicros: string } }) => [owner.ownerId, owner.expected.amountMicros, owner.overdue.amountMicros])).toEqual([
      [owner1.userId, micros(1200), micros(550)],
      [owner2.userId, micros(214), micros(35)],
    ]);
    expect(report.owners[1].months[1].unconverted).toEqual([{ currency: 'EUR', amountMicros: micros(1000), instalments: 1 }]);
  });

  it("shows a rep their own instalments only, and filters by owner", async () => {
    const own = (await sales.as(owner2).get('/reports/payment-forecast?from=2026-11-01&to=2027-01-31&asOf=2026-11-23')).body;
    expect(own.owners.map((owner: { ownerId: string }) => owner.ownerId)).toEqual([owner2.userId]);
    expect(own.expected.amountMicros).toBe(micros(214));
    const filtered = (await sales.as(admin).get(`/reports/payment-forecast?from=2026-11-01&to=2027-01-31&asOf=2026-11-23&ownerId=${owner1.userId}`)).body;
    expect(filtered.expected.amountMicros).toBe(micros(1200));
    expect(filtered.overdue.total.amountMicros).toBe(micros(550));
  });

  it('refuses ranges that are not ranges', async () => {
    expect((await sales.as(admin).get('/reports/payment-forecast?from=2027-01-01&to=2026-01-01')).status).toBe(400);
    expect((await sales.as(admin).get('/reports/payment-forecast?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await sales.as(admin).get('/reports/payment-forecast?from=2026-01')).status).toBe(400);
  });

  it('answers from the partial index of open, collectible instalments', async () => {
    const plan = await sales.running.app.get(TenantTransactions).runForTenant(tenantId, async (manager) => {
      // The fixture is tiny, so the planner would rightly scan the table; without that option it shows which index serves the predicate.
      await manager.query(`SET LOCAL enable_seqscan = off`);
      const rows: Array<{ 'QUERY PLAN': string }> = await manager.query(
        `EXPLAIN SELECT owner_id, due_date, currency, sum(amount_micros - received_micros) FROM contract_instalments i
          WHERE i.tenant_id = $1 AND i.collectible AND i.received_micros < i.amount_micros AND i.due_date >= '2026-11-01' AND i.due_date <= '2027-01-31' GROUP BY 1, 2, 3`,
        [tenantId],
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('contract_instalments_open_due_idx');
  });
});
