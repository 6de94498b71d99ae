import { randomUUID } from 'node:crypto';
import { PaymentForecastRollup1746000000000 } from '../src/database/migrations/1746000000000-payment-forecast-rollup';
import { caller, SalesHarness } from './sales-harness';

const M = 1_000_000n;
const micros = (units: number): string => (BigInt(units) * M).toString();

interface RollupRow {
  owner_id: string;
  currency: string;
  due_date: string;
  open_micros: string;
  instalments: number;
}

describe('sales: payment forecast roll-up', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const admin = caller(tenantId, ['admin'], [], randomUUID());
  const leaver = caller(tenantId, ['rep'], [teamId]);
  const heir = caller(tenantId, ['rep'], [teamId]);
  const other = caller(tenantId, ['rep'], [teamId]);
  let customerId: string;

  /** The roll-up of the tenant, and the same figures recounted from contract_instalments. */
  const rollup = (): Promise<RollupRow[]> =>
    sales.queryAsTenant<RollupRow>(
      tenantId,
      `SELECT owner_id, currency, due_date::text AS due_date, open_micros::text AS open_micros, instalments
         FROM instalment_open_rollup WHERE tenant_id = $1 ORDER BY owner_id, currency, due_date`,
      [tenantId],
    );
  const recount = (): Promise<RollupRow[]> =>
    sales.queryAsTenant<RollupRow>(
      tenantId,
      `SELECT owner_id, currency, due_date::text AS due_date, sum(amount_micros - received_micros)::text AS open_micros, count(*)::int AS instalments
         FROM contract_instalments WHERE tenant_id = $1 AND collectible AND received_micros < amount_micros
        GROUP BY owner_id, currency, due_date ORDER BY owner_id, currency, due_date`,
      [tenantId],
    );
  const expectExact = async (): Promise<RollupRow[]> => {
    const rows = await rollup();
    expect(rows).toEqual(await recount());
    return rows;
  };

  const contract = async (owner: typeof leaver, currency: string, instalments: Array<[string, number]>, statuses: string[]): Promise<string> => {
    const amount = instalments.reduce((sum, [, units]) => sum + units, 0);
    const created = await sales.as(owner).post('/contracts').send({ customerId, title: `${currency} 合同`, amountMicros: micros(amount), currency, startDate: '2026-01-01', endDate: '2027-12-31' });
    expect(created.status).toBe(201);
    const scheduled = await sales
      .as(owner)
      .put(`/contracts/${created.body.id}/schedule`)
      .send({ instalments: instalments.map(([dueDate, units]) => ({ dueDate, amountMicros: micros(units) })) });
    expect(scheduled.status).toBe(200);
    for (const status of statuses) expect((await sales.as(owner).patch(`/contracts/${created.body.id}`).send({ status })).status).toBe(200);
    return created.body.id;
  };

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_payment_rollup');
    for (const user of [leaver, heir, other]) {
      await sales.publishUser('created', { tenantId, userId: user.userId, name: '销售', roles: ['rep'], teamIds: [teamId] });
    }
    customerId = await sales.publishCustomer({ tenantId, name: '杭州西湖科技有限公司', ownerId: leaver.userId });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('equals a recount of the open instalments after schedules, receipts, a handover, status changes and deletes', async () => {
    // Two contracts share an owner, currency and due date (one roll-up row of two instalments).
    const a = await contract(leaver, 'CNY', [['2026-10-01', 100], ['2026-11-01', 200], ['2026-12-01', 300]], ['signed']);
    const b = await contract(leaver, 'CNY', [['2026-11-01', 50], ['2027-01-01', 70]], ['signed', 'active']);
    const usd = await contract(other, 'USD', [['2026-11-15', 10], ['2026-12-15', 20]], ['signed']);
    // A draft is not owed: not in the roll-up until it is signed.
    const draft = await contract(leaver, 'CNY', [['2026-11-01', 999]], []);
    let rows = await expectExact();
    expect(rows.find((row) => row.owner_id === leaver.userId && row.due_date === '2026-11-01')).toMatchObject({ open_micros: micros(250), instalments: 2 });
    expect(rows.some((row) => row.open_micros === micros(999))).toBe(false);

    // Receipts: 150 pays the oldest instalment (100) and 50 of the next; 10 USD pays a whole instalment (its row goes).
    expect((await sales.as(leaver).post(`/contracts/${a}/receipts`).send({ amountMicros: micros(150), receivedAt: '2026-11-05T00:00:00Z' })).status).toBe(201);
    expect((await sales.as(other).post(`/contracts/${usd}/receipts`).send({ amountMicros: micros(10), receivedAt: '2026-11-16T00:00:00Z' })).status).toBe(201);
    rows = await expectExact();
    expect(rows.some((row) => row.due_date === '2026-10-01' || row.due_date === '2026-11-15')).toBe(false);
    expect(rows.find((row) => row.owner_id === leaver.userId && row.due_date === '2026-11-01')).toMatchObject({ open_micros: micros(200), instalments: 2 });

    // An invoice status change changes no open figure.
    const instalments = await sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM contract_instalments WHERE contract_id = $1 ORDER BY seq`, [b]);
    expect((await sales.as(leaver).post(`/contracts/${b}/instalments/${instalments[0].id}/invoice`).send({ status: 'requested' })).status).toBe(200);
    expect(await expectExact()).toEqual(rows);

    // Handover: the leaver's open contracts (and their instalments) go to the heir.
    const handover = await sales.as(admin).post(`/users/${leaver.userId}/handover`).send({ toUserId: heir.userId });
    expect(handover.status).toBe(200);
    rows = await expectExact();
    expect(rows.some((row) => row.owner_id === leaver.userId)).toBe(false);
    expect(rows.find((row) => row.owner_id === heir.userId && row.due_date === '2026-11-01')).toMatchObject({ open_micros: micros(200), instalments: 2 });

    // Status changes: the draft (handed over too) is signed (its instalments become collectible), `a` is terminated (no longer owed).
    expect((await sales.as(admin).patch(`/contracts/${draft}`).send({ status: 'signed' })).status).toBe(200);
    expect((await sales.as(admin).patch(`/contracts/${a}`).send({ status: 'terminated' })).status).toBe(200);
    rows = await expectExact();
    expect(rows.find((row) => row.owner_id === heir.userId && row.due_date === '2026-11-01')).toMatchObject({ open_micros: micros(1049), instalments: 2 });
    expect(rows.some((row) => row.due_date === '2026-12-01' && row.currency === 'CNY')).toBe(false);

    // Deletes: a schedule replaced (old instalments deleted, new inserted), and a contract deleted with its instalments (cascade).
    expect((await sales.as(admin).put(`/contracts/${draft}/schedule`).send({ instalments: [{ dueDate: '2027-02-01', amountMicros: micros(499) }, { dueDate: '2027-03-01', amountMicros: micros(500) }] })).status).toBe(200);
    await sales.queryAsTenant(tenantId, `DELETE FROM contracts WHERE id = $1`, [usd]);
    rows = await expectExact();
    expect(rows.some((row) => row.owner_id === other.userId)).toBe(false);
    expect(rows.find((row) => row.owner_id === heir.userId && row.due_date === '2026-11-01')).toMatchObject({ open_micros: micros(50), instalments: 1 });
    expect(rows.find((row) => row.owner_id === heir.userId && row.due_date === '2027-02-01')).toMatchObject({ open_micros: micros(499), instalments: 1 });

    // A multi-row statement moving rows between roll-up rows (due dates, owners, amounts and collectibility at once).
    await sales.queryAsTenant(
      tenantId,
      `UPDATE contract_instalments SET due_date = due_date + 1, owner_id = CASE WHEN seq = 1 THEN $2::uuid ELSE owner_id END, collectible = (seq <> 2) OR collectible,
              received_micros = CASE WHEN seq = 2 THEN amount_micros ELSE received_micros END
        WHERE tenant_id = $1`,
      [tenantId, other.userId],
    );
    rows = await expectExact();
    expect(rows.length).toBeGreaterThan(0);

    // The forecast reads the roll-up: its totals are the recount's, converted.
    const report = (await sales.as(admin).get('/reports/payment-forecast?from=2026-01-01&to=2027-12-31&asOf=2026-01-01')).body;
    expect(report.expected.amountMicros).toBe(rows.filter((row) => row.currency === 'CNY').reduce((sum, row) => sum + BigInt(row.open_micros), 0n).toString());
    expect(report.months.reduce((sum: number, month: { instalments: number }) => sum + month.instalments, 0)).toBe(rows.reduce((sum, row) => sum + row.instalments, 0));
  });

  it('stays exact under concurrent receipts on one owner\'s instalments due the same days', async () => {
    const contracts: string[] = [];
    for (let i = 0; i < 6; i++) contracts.push(await contract(other, 'CNY', [['2027-06-01', 100], ['2027-07-01', 100], ['2027-08-01', 100]], ['signed']));
    const responses = await Promise.all(
      contracts.flatMap((id, i) => [
        sales.as(other).post(`/contracts/${id}/receipts`).send({ amountMicros: micros(50 + i * 10), receivedAt: '2027-06-02T00:00:00Z' }),
        sales.as(other).post(`/contracts/${id}/receipts`).send({ amountMicros: micros(120), receivedAt: '2027-06-03T00:00:00Z' }),
      ]),
    );
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const rows = await expectExact();
    // 6 × 300 owed, 6 × 120 + (50 + … + 100) = 1,170 received.
    const owed = rows.filter((row) => row.owner_id === other.userId && row.due_date >= '2027-06-01').reduce((sum, row) => sum + BigInt(row.open_micros), 0n);
    expect(owed.toString()).toBe(micros(1800 - 1170));
  });

  it('is backfilled from the existing instalments by the migration, and removed by its down()', async () => {
    const before = await expectExact();
    expect(before.length).toBeGreaterThan(0);
    const migration = new PaymentForecastRollup1746000000000();
    const runner = sales.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect((await runner.query(`SELECT to_regclass('instalment_open_rollup') IS NULL AS gone`))[0].gone).toBe(true);
      expect(await runner.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'contract_instalments'::regclass AND tgname LIKE '%open_rollup%'`)).toEqual([]);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await expectExact()).toEqual(before);

    await sales.dataSource.query(`TRUNCATE contract_instalments CASCADE`);
    expect(await sales.dataSource.query(`SELECT count(*)::int AS n FROM instalment_open_rollup`)).toEqual([{ n: 0 }]);
  });
});
