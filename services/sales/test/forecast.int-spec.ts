import { randomUUID } from 'node:crypto';
import { caller, SalesHarness, type Identity } from './sales-harness';

const CNY = (units: number) => ({ amountMicros: String(units * 1_000_000), currency: 'CNY' });
const DAY_MS = 86_400_000;

/** The current quarter as a period key and its first day, so the fixture's won deals (closed now) fall in it. */
function currentQuarter(now: Date): { key: string; start: Date; nextStart: Date } {
  const year = now.getUTCFullYear();
  const quarter = Math.floor(now.getUTCMonth() / 3) + 1;
  return { key: `${year}-Q${quarter}`, start: new Date(Date.UTC(year, (quarter - 1) * 3, 1)), nextStart: new Date(Date.UTC(year, quarter * 3, 1)) };
}
const day = (date: Date, plusDays = 0) => new Date(date.getTime() + plusDays * DAY_MS).toISOString().slice(0, 10);

// Real PostgreSQL on a shared 2-core host: starting the service and building the fixture can take a while.
jest.setTimeout(120_000);

describe('sales: quotas and forecast', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const manager = caller(tenantId, ['manager'], [teamId]);
  const repA = caller(tenantId, ['rep'], [teamId]);
  const repB = caller(tenantId, ['rep'], [teamId]);
  const repC = caller(tenantId, ['rep']);
  const quarter = currentQuarter(new Date());
  let customerId: string;

  const opportunity = async (owner: Identity, amount: { amountMicros: string; currency: string }, expectedCloseDate: string, stage?: string, lostReason?: string) => {
    const created = await sales.as(admin).post('/opportunities').send({ name: '预测商机', customerId, ownerId: owner.userId, amount, expectedCloseDate });
    expect(created.status).toBe(201);
    if (stage) expect((await sales.as(admin).post(`/opportunities/${created.body.id}/stage`).send({ stage, lostReason })).status).toBe(200);
    return created.body.id as string;
  };

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_forecast');
    const names = new Map([
      [repA, '甲'],
      [repB, '乙'],
      [repC, '丙'],
      [manager, '经理'],
      [admin, '管理员'],
    ]);
    for (const [user, name] of names) await sales.publishUser('created', { tenantId, userId: user.userId, name, roles: [...user.roles], teamIds: [...user.teamIds] });
    customerId = await sales.publishCustomer({ tenantId, name: '深圳海景电子有限公司' });
    await sales.queryAsTenant(tenantId, `INSERT INTO exchange_rates (tenant_id, currency, to_currency, valid_from, rate) VALUES ($1, 'USD', 'CNY', '2020-01-01', 7)`, [tenantId]);

    const inPeriod = day(quarter.start, 20);
    await opportunity(repA, CNY(100), inPeriod, 'won');
    await opportunity(repA, CNY(200), day(quarter.nextStart, -5), 'contract_signed');
    await opportunity(repA, CNY(300), inPeriod, 'proposal');
    await opportunity(repA, CNY(1000), day(quarter.nextStart, 10));
    await opportunity(repB, { amountMicros: '50000000', currency: 'USD' }, inPeriod, 'needs_confirmed');
    await opportunity(repB, CNY(900), inPeriod, 'lost', '预算取消');
    await opportunity(repC, CNY(500), inPeriod, 'won');
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('sets and lists quotas per rep or team and period (sales:configure)', async () => {
    const items = [
      { ownerId: repA.userId, period: quarter.key, amount: CNY(1000) },
      { ownerId: repB.userId, period: quarter.key, amount: CNY(400) },
      { teamId, period: quarter.key, amount: CNY(2000) },
    ];
    expect((await sales.as(repA).put('/quotas').send({ items })).status).toBe(403);
    const put = await sales.as(manager).put('/quotas').send({ items });
    expect(put.status).toBe(200);
    expect(put.body.items).toHaveLength(3);
    expect(put.body.items[2]).toMatchObject({ ownerId: null, teamId, period: quarter.key, periodStart: day(quarter.start), periodEnd: day(quarter.nextStart), amount: CNY(2000), version: 1 });
    const replaced = await sales.as(manager).put('/quotas').send({ items: [{ ownerId: repB.userId, period: quarter.key, amount: CNY(500) }] });
    expect(replaced.body.items[0]).toMatchObject({ amount: CNY(500), version: 2 });

    expect((await sales.as(manager).put('/quotas').send({ items: [{ ownerId: repA.userId, teamId, period: quarter.key, amount: CNY(1) }] })).status).toBe(400);
    expect((await sales.as(manager).put('/quotas').send({ items: [{ ownerId: repA.userId, period: '2026-Q5', amount: CNY(1) }] })).status).toBe(400);

    const listed = await sales.as(manager).get(`/quotas?period=${quarter.key}&kind=user&total=true`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(2);
    const ofTeam = await sales.as(manager).get(`/quotas?teamId=${teamId}`);
    expect(ofTeam.body.items.map((quota: { amount: unknown }) => quota.amount)).toEqual([CNY(2000)]);
  });

  it('forecasts closed won, commit, best case and weighted pipeline against quota, by owner, team and in total', async () => {
    const response = await sales.as(admin).get(`/reports/forecast?period=${quarter.key}`);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ period: quarter.key, from: day(quarter.start), to: day(quarter.nextStart), currency: 'CNY', commitThreshold: 80 });
    const owner = (id: string) => report.owners.find((row: { ownerId: string }) => row.ownerId === id);

    expect(owner(repA.userId)).toEqual({
      ownerId: repA.userId,
      ownerName: '甲',
      quota: CNY(1000),
      closedWon: CNY(100),
      commit: CNY(200),
      bestCase: CNY(500),
      pipeline: CNY(340), // 200 × 80% + 300 × 60%
      commitForecast: CNY(300),
      bestCaseForecast: CNY(600),
      attainment: 0.1,
      commitAttainment: 0.3,
      unconverted: [],
    });
    // 50 USD × 7 = 350 CNY at 30%.
    expect(owner(repB.userId)).toMatchObject({ quota: CNY(500), closedWon: CNY(0), commit: CNY(0), bestCase: CNY(350), pipeline: CNY(105), attainment: 0, commitAttainment: 0 });
    expect(owner(repC.userId)).toMatchObject({ quota: null, closedWon: CNY(500), attainment: null });
    expect(report.owners).toHaveLength(3);

    expect(report.teams).toEqual([
      expect.objectContaining({ teamId, quota: CNY(2000), closedWon: CNY(100), commit: CNY(200), bestCase: CNY(850), pipeline: CNY(445), attainment: 0.05, commitAttainment: 0.15 }),
    ]);
    expect(report.total).toMatchObject({ quota: CNY(1500), closedWon: CNY(600), commit: CNY(200), bestCase: CNY(850), pipeline: CNY(445), commitForecast: CNY(800), attainment: 0.4 });
  });

  it('moves deals into commit with a lower threshold, narrows to a month, and respects the caller’s scope', async () => {
    const lower = await sales.as(admin).get(`/reports/forecast?period=${quarter.key}&commitThreshold=60&ownerId=${repA.userId}`);
    expect(lower.body.owners).toHaveLength(1);
    expect(lower.body.owners[0]).toMatchObject({ commit: CNY(500), commitForecast: CNY(600) });
    expect(lower.body.teams).toEqual([]);

    const lastMonth = day(quarter.nextStart, -5).slice(0, 7);
    const month = await sales.as(admin).get(`/reports/forecast?period=${lastMonth}&ownerId=${repA.userId}`);
    expect(month.body.owners[0]).toMatchObject({ commit: CNY(200), bestCase: CNY(200), quota: null });

    const asRep = await sales.as(repB).get(`/reports/forecast?period=${quarter.key}`);
    expect(asRep.body.owners.map((row: { ownerId: string }) => row.ownerId)).toEqual([repB.userId]);
    expect(asRep.body.teams).toEqual([]);

    const asManager = await sales.as(manager).get(`/reports/forecast?period=${quarter.key}`);
    expect(asManager.body.owners.map((row: { ownerId: string }) => row.ownerId).sort()).toEqual([repA.userId, repB.userId].sort());
    expect(asManager.body.teams).toHaveLength(1);
    expect(asManager.body.total).toMatchObject({ closedWon: CNY(100), bestCase: CNY(850) });

    expect((await sales.as(admin).get('/reports/forecast?period=2026-13')).status).toBe(400);
  });
});
