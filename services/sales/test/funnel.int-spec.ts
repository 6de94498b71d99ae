import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { FunnelRepository, type FunnelSums } from '../src/funnel/funnel.repository';
import { caller, SalesHarness } from './sales-harness';

const CNY = (units: number) => ({ amountMicros: String(units * 1_000_000), currency: 'CNY' });
const DAY_MS = 86_400_000;

// Real PostgreSQL on a shared 2-core host: starting the service and building the fixture can take a while.
jest.setTimeout(120_000);

describe('sales: funnel report', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamA = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const repA = caller(tenantId, ['rep'], [teamA]);
  const repB = caller(tenantId, ['rep'], [randomUUID()]);
  const ids: Record<string, string> = {};

  /** Opens an opportunity for `owner` and walks it through `moves` (the last may be lost/won). */
  const walk = async (label: string, ownerId: string, amount: { amountMicros: string; currency: string }, moves: string[]) => {
    const created = await sales.as(admin).post('/opportunities').send({ name: label, customerId, ownerId, amount });
    expect(created.status).toBe(201);
    for (const stage of moves) {
      const moved = await sales.as(admin).post(`/opportunities/${created.body.id}/stage`).send({ stage, ...(stage === 'lost' ? { lostReason: '预算取消' } : {}) });
      expect(moved.status).toBe(200);
    }
    ids[label] = created.body.id;
  };
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_funnel');
    for (const user of [admin, repA, repB]) await sales.publishUser('created', { tenantId, userId: user.userId, roles: [...user.roles], teamIds: [...user.teamIds] });
    customerId = await sales.publishCustomer({ tenantId, name: '杭州明远贸易有限公司' });
    await sales.queryAsTenant(tenantId, `INSERT INTO exchange_rates (tenant_id, currency, to_currency, valid_from, rate) VALUES ($1, 'USD', 'CNY', '2020-01-01', 7.1)`, [tenantId]);

    await walk('O1', repA.userId, CNY(100), ['needs_confirmed', 'proposal', 'won']);
    await walk('O2', repA.userId, CNY(200), ['needs_confirmed', 'lost']);
    await walk('O3', repB.userId, CNY(300), ['needs_confirmed', 'proposal']);
    await walk('O4', repB.userId, CNY(400), []);
    await walk('O5', repA.userId, { amountMicros: '50000000', currency: 'USD' }, ['proposal']);
    await walk('O6', repB.userId, CNY(600), ['needs_confirmed', 'initial_contact', 'needs_confirmed']);
    await walk('O7', repA.userId, { amountMicros: '10000000', currency: 'EUR' }, ['contract_signed']);

    // Known durations instead of the milliseconds the requests took: days in initial_contact, and a 30-day cycle for O1.
    const initialDays: Record<string, number> = { O1: 1, O2: 2, O3: 3, O5: 4, O6: 5, O7: 6 };
    for (const [label, days] of Object.entries(initialDays)) {
      await sales.queryAsTenant(tenantId, `UPDATE opportunity_stage_reach SET finished_ms = $2 WHERE opportunity_id = $1 AND stage = 'initial_contact'`, [ids[label], days * DAY_MS]);
    }
    await sales.queryAsTenant(tenantId, `UPDATE opportunities SET opened_at = closed_at - interval '30 days' WHERE id = $1`, [ids.O1]);
    await sales.queryAsTenant(tenantId, `UPDATE opportunity_stage_reach SET opened_at = opened_at - interval '30 days' WHERE opportunity_id = $1`, [ids.O1]);
  });

  afterAll(async () => {
    await sales?.stop();
  });

  type Stage = { key: string; count: number; amount: { amountMicros: string }; weightedAmount: { amountMicros: string }; unconverted: unknown[]; entered: number; advanced: number; conversionRate: number | null; averageDaysInStage: number | null };
  const byKey = (stages: Stage[]) => Object.fromEntries(stages.map((stage) => [stage.key, stage]));

  it('counts, sums, converts and weights per stage, with conversion, days in stage, win rate and cycle time', async () => {
    const response = await sales.as(admin).get('/reports/funnel');
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report.currency).toBe('CNY');
    expect(report.opened).toBe(7);
    expect(report.stages.map((stage: Stage) => stage.key)).toEqual(['initial_contact', 'needs_confirmed', 'proposal', 'contract_signed', 'won', 'lost']);
    const stages = byKey(report.stages);

    expect(stages.initial_contact).toMatchObject({ count: 1, amount: CNY(400), weightedAmount: CNY(40), entered: 7, advanced: 6, conversionRate: 0.8571, averageDaysInStage: 3.5 });
    expect(stages.needs_confirmed).toMatchObject({ count: 1, amount: CNY(600), weightedAmount: CNY(180), entered: 4, advanced: 2, conversionRate: 0.5 });
    // 300 CNY + 50 USD × 7.1 = 655 CNY, 60% weighted = 393 CNY.
    expect(stages.proposal).toMatchObject({ count: 2, amount: CNY(655), weightedAmount: CNY(393), unconverted: [], entered: 3, advanced: 1, conversionRate: 0.3333 });
    // EUR has no rate: reported beside the amount, not in it.
    expect(stages.contract_signed).toMatchObject({ count: 1, amount: CNY(0), unconverted: [{ amountMicros: '10000000', currency: 'EUR' }], entered: 1, advanced: 0, conversionRate: 0 });
    expect(stages.won).toMatchObject({ count: 1, amount: CNY(100), weightedAmount: CNY(100), conversionRate: null });
    expect(stages.lost).toMatchObject({ count: 1, amount: CNY(200), weightedAmount: CNY(0) });
    expect(report.winRate).toBe(0.5);
    expect(report.averageCycleDays).toBe(30);
  });

  it('filters by owner or team, and narrows to the caller’s scope', async () => {
    const ofA = await sales.as(admin).get(`/reports/funnel?ownerId=${repA.userId}`);
    expect(ofA.body.opened).toBe(4);
    expect(byKey(ofA.body.stages).initial_contact).toMatchObject({ count: 0, entered: 4, advanced: 4, conversionRate: 1, averageDaysInStage: 3.25 });
    const ofTeam = await sales.as(admin).get(`/reports/funnel?teamId=${teamA}`);
    expect(ofTeam.body.stages).toEqual(ofA.body.stages);

    const mine = await sales.as(repB).get('/reports/funnel');
    expect(mine.body.opened).toBe(3);
    expect(byKey(mine.body.stages).initial_contact).toMatchObject({ entered: 3, advanced: 2, count: 1 });
    expect(mine.body.winRate).toBeNull();
    const notMine = await sales.as(repB).get(`/reports/funnel?ownerId=${repA.userId}`);
    expect(notMine.body.opened).toBe(0);

    expect((await sales.as(admin).get(`/reports/funnel?ownerId=${repA.userId}&teamId=${teamA}`)).status).toBe(400);
    expect((await sales.as(admin).get(`/reports/funnel?pipelineId=${randomUUID()}`)).status).toBe(404);
  });

  it('takes the cohort of opportunities opened in [from, to)', async () => {
    const now = Date.now();
    const recent = await sales.as(admin).get(`/reports/funnel?from=${new Date(now - 10 * DAY_MS).toISOString()}&to=${new Date(now + DAY_MS).toISOString()}`);
    expect(recent.status).toBe(200);
    // O1 was opened 30 days ago (see the fixture).
    expect(recent.body.opened).toBe(6);
    expect(byKey(recent.body.stages).won.count).toBe(0);
    expect(byKey(recent.body.stages).initial_contact.entered).toBe(6);
    expect(recent.body.averageCycleDays).toBeNull();
  });

  it('keeps the trigger-maintained rollup equal to the base tables (the two paths of the report)', async () => {
    const pipelineId = (await sales.as(admin).get('/pipelines')).body.items[0].id as string;
    // Edits after the fact: an amount, a currency, a stage move, and a rename that changes no figure.
    expect((await sales.as(admin).patch(`/opportunities/${ids.O4}`).send({ amount: CNY(450), name: '改名' })).status).toBe(200);
    expect((await sales.as(admin).patch(`/opportunities/${ids.O3}`).send({ amount: { amountMicros: '10000000', currency: 'USD' } })).status).toBe(200);
    expect((await sales.as(admin).post(`/opportunities/${ids.O6}/stage`).send({ stage: 'proposal' })).status).toBe(200);
    // Owner changes: one by PATCH (O6 with its stage reach, B → A), then a stage move under the new owner.
    expect((await sales.as(admin).patch(`/opportunities/${ids.O6}`).send({ ownerId: repA.userId })).status).toBe(200);
    expect((await sales.as(admin).post(`/opportunities/${ids.O6}/stage`).send({ stage: 'contract_signed' })).status).toBe(200);
    const repository = sales.running.app.get(FunnelRepository);
    const sorted = (sums: FunnelSums) => ({
      snapshot: [...sums.snapshot].sort((a, b) => `${a.stage}${a.currency}`.localeCompare(`${b.stage}${b.currency}`)),
      reach: [...sums.reach].sort((a, b) => a.stage.localeCompare(b.stage)),
    });
    const third = randomUUID();
    /** The roll-up equals a recount of the base tables for every owner, a pair of owners, nobody, and the whole tenant. */
    const expectRollupEqualsRecount = () =>
      sales.running.app.get(TenantTransactions).runForTenant(tenantId, async (manager) => {
        for (const owners of [null, [repA.userId], [repB.userId], [third], [repA.userId, repB.userId, third], []]) {
          const fromRollup = await repository.rollup(manager, { tenantId, pipelineId, fromDay: null, toDay: null, owners }, 'CNY', '2026-01-01');
          const fromTables = await repository.raw(manager, { tenantId, pipelineId, from: null, to: null, owners }, 'CNY', '2026-01-01');
          expect(sorted(fromRollup)).toEqual(sorted(fromTables));
        }
      });
    await expectRollupEqualsRecount();
    const report = await sales.as(admin).get('/reports/funnel');
    expect(byKey(report.body.stages).initial_contact).toMatchObject({ count: 1, amount: CNY(450) });
    // 50 USD + 10 USD at 7.1 (O6 moved on to contract_signed).
    expect(byKey(report.body.stages).proposal).toMatchObject({ count: 2, amount: CNY(426), entered: 4 });
    const ofA = await sales.as(admin).get(`/reports/funnel?ownerId=${repA.userId}`);
    expect(ofA.body.opened).toBe(5);
    expect(byKey(ofA.body.stages).contract_signed).toMatchObject({ count: 2, amount: CNY(600), entered: 2 });
    expect(byKey(ofA.body.stages).needs_confirmed).toMatchObject({ count: 0, entered: 3, advanced: 2 });
    expect((await sales.as(admin).get(`/reports/funnel?ownerId=${repB.userId}`)).body.opened).toBe(2);

    // A handover-style bulk move (one UPDATE of many rows, as the handover participant does), then a delete.
    await sales.queryAsTenant(tenantId, `UPDATE opportunities SET owner_id = $2 WHERE owner_id = $1`, [repA.userId, third]);
    await expectRollupEqualsRecount();
    expect((await sales.as(admin).get(`/reports/funnel?ownerId=${third}`)).body.opened).toBe(5);
    expect((await sales.as(admin).get(`/reports/funnel?ownerId=${repA.userId}`)).body.opened).toBe(0);
    await sales.queryAsTenant(tenantId, `DELETE FROM opportunities WHERE id = $1`, [ids.O6]);
    await expectRollupEqualsRecount();
    expect((await sales.as(admin).get('/reports/funnel')).body.opened).toBe(6);
  });
});
