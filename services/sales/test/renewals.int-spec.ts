import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { SalesEnv } from '../src';
import { ContractEvents } from '../src/contracts/contract-events';
import { ContractsRepository } from '../src/contracts/contracts.repository';
import { RenewalReminderJob } from '../src/renewals/renewal-reminder.job';
import { RenewalsRepository } from '../src/renewals/renewals.repository';
import { SalesTasks } from '../src/tasks/sales-tasks';
import { caller, SalesHarness } from './sales-harness';

const NOW = new Date('2026-11-23T08:00:00Z');

describe('sales: renewal reminders', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const rep = caller(tenantId, ['rep']);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_renewals');
    customerId = await sales.publishCustomer({ tenantId, name: '武汉光谷电子有限公司' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const contract = async (endDate: string, statuses: string[]) => {
    const created = (await sales.as(rep).post('/contracts').send({ customerId, title: `到期 ${endDate}`, amountMicros: '1000000', currency: 'CNY', startDate: '2026-01-01', endDate })).body;
    for (const status of statuses) expect((await sales.as(rep).patch(`/contracts/${created.id}`).send({ status })).status).toBe(200);
    return created;
  };

  /** A second scheduler: another instance of the job on the same database, as a second process would run it. */
  const secondInstance = (): RenewalReminderJob => {
    const app = sales.running.app;
    return new RenewalReminderJob(app.get(TenantTransactions), app.get(RenewalsRepository), app.get(ContractsRepository), app.get(SalesTasks), app.get(ContractEvents), app.get(SalesEnv));
  };

  const expiringEvents = async (contractId: string) => (await sales.outboxOf(contractId)).filter((event) => event.type === 'crm.sales.contract.expiring.v1');
  const renewalTasks = (contractId: string) =>
    sales.queryAsTenant<{ origin_key: string; owner_id: string; contract_id: string }>(tenantId, `SELECT origin_key, owner_id, contract_id FROM activities WHERE origin = 'renewal' AND contract_id = $1`, [contractId]);

  it('reminds the owner once per contract and end date, with two schedulers running at the same time', async () => {
    const due = await contract('2026-12-03', ['signed']);
    const later = await contract('2027-01-02', ['signed', 'active']);
    const drafted = await contract('2026-11-30', []);
    const ended = await contract('2026-11-28', ['signed', 'terminated']);

    const first = sales.running.app.get(RenewalReminderJob);
    const second = secondInstance();
    const results = await Promise.all([first.trigger(NOW), second.trigger(NOW)]);
    expect(results[0].reminded + results[1].reminded).toBe(1);

    const tasks = await renewalTasks(due.id);
    expect(tasks).toEqual([{ origin_key: `renewal:${due.id}:2026-12-03`, owner_id: rep.userId, contract_id: due.id }]);
    const events = await expiringEvents(due.id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ tenantId, contractId: due.id, customerId, contractNumber: due.contractNumber, endDate: '2026-12-03', daysLeft: 10, ownerId: rep.userId });
    const [reminder] = await sales.queryAsTenant<{ task_id: string }>(tenantId, `SELECT task_id FROM renewal_reminders WHERE contract_id = $1`, [due.id]);
    expect(events[0].data.taskId).toBe(reminder.task_id);
    for (const other of [later, drafted, ended]) expect(await expiringEvents(other.id)).toHaveLength(0);

    // A restart (a fresh instance) and another concurrent pair remind of nothing again.
    const again = await Promise.all([secondInstance().trigger(NOW), secondInstance().trigger(new Date(NOW.getTime() + 3_600_000))]);
    expect(again.map((result) => result.reminded)).toEqual([0, 0]);
    expect(await expiringEvents(due.id)).toHaveLength(1);
    expect(await renewalTasks(due.id)).toHaveLength(1);
  });

  it("follows the tenant's reminder period and reminds again of a new end date", async () => {
    const longer = await contract('2026-12-30', ['signed', 'active']);
    expect((await sales.as(admin).put('/sales-settings').send({ renewalReminderDays: 45 })).body).toMatchObject({ renewalReminderDays: 45, reportingCurrency: 'CNY' });
    const run = await sales.running.app.get(RenewalReminderJob).trigger(NOW);
    expect(run.reminded).toBeGreaterThanOrEqual(1);
    expect(await expiringEvents(longer.id)).toHaveLength(1);

    // Extended by a week: a new end date is a new reminder, still exactly once.
    expect((await sales.as(rep).patch(`/contracts/${longer.id}`).send({ endDate: '2027-01-06' })).status).toBe(200);
    await Promise.all([sales.running.app.get(RenewalReminderJob).trigger(NOW), secondInstance().trigger(NOW)]);
    const events = await expiringEvents(longer.id);
    expect(events.map((event) => event.data.endDate)).toEqual(['2026-12-30', '2027-01-06']);
    expect((await renewalTasks(longer.id)).map((task) => task.origin_key).sort()).toEqual([`renewal:${longer.id}:2026-12-30`, `renewal:${longer.id}:2027-01-06`]);
  });
});
