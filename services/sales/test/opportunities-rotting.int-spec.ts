import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { SalesEnv } from '../src/config/sales.env';
import { OpportunityEvents } from '../src/opportunities/opportunity-events';
import { OpportunityRottingJob } from '../src/opportunities/opportunity-rotting.job';
import { OpportunityRottingRepository } from '../src/opportunities/opportunity-rotting.repository';
import { SalesTasks } from '../src/tasks/sales-tasks';
import { caller, SalesHarness } from './sales-harness';

const DAY_MS = 86_400_000;

// Real PostgreSQL on a shared 2-core host: starting the service and building the fixture can take a while.
jest.setTimeout(120_000);

describe('sales: rotting opportunities', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const rep = caller(tenantId, ['rep']);
  let customerId: string;
  const start = Date.now();
  const at = (days: number) => new Date(start + days * DAY_MS);

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_rotting');
    await sales.publishUser('created', { tenantId, userId: rep.userId, roles: ['rep'] });
    customerId = await sales.publishCustomer({ tenantId, name: '成都天府软件有限公司' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const open = async (name: string): Promise<string> => {
    const response = await sales.as(rep).post('/opportunities').send({ name, customerId });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const tasksOf = (opportunityId: string) =>
    sales.queryAsTenant<{ origin_key: string; owner_id: string; origin: string; status: string }>(
      tenantId,
      `SELECT origin_key, owner_id, origin, status FROM activities WHERE opportunity_id = $1 AND kind = 'task' ORDER BY created_at`,
      [opportunityId],
    );
  /** A second scheduler instance: the same job class with its own state, on the same database. */
  const secondInstance = (): OpportunityRottingJob => {
    const app = sales.running.app;
    return new OpportunityRottingJob(app.get(TenantTransactions), app.get(OpportunityRottingRepository), app.get(SalesTasks), app.get(OpportunityEvents), app.get(SalesEnv));
  };

  it('raises exactly one task and one event per idle period, even with two instances running at once', async () => {
    const idle = await open('长期无进展的商机');
    const fresh = await open('刚跟进过的商机');
    const job = sales.running.app.get(OpportunityRottingJob);

    expect((await job.trigger(at(13))).raised).toBe(0); // initial_contact rots after 14 days

    await sales.queryAsTenant(tenantId, `UPDATE opportunities SET last_touched_at = $2 WHERE id = $1`, [fresh, at(10)]);
    const [first, second] = await Promise.all([job.trigger(at(15)), secondInstance().trigger(at(15))]);
    expect(first.raised + second.raised).toBe(1);
    expect((await job.trigger(at(15))).raised).toBe(0);
    expect((await secondInstance().trigger(at(16))).raised).toBe(0);

    const [opened] = await sales.queryAsTenant<{ last_touched_at: Date }>(tenantId, `SELECT last_touched_at FROM opportunities WHERE id = $1`, [idle]);
    const idleDate = opened.last_touched_at.toISOString().slice(0, 10);
    const tasks = await tasksOf(idle);
    expect(tasks).toEqual([{ origin_key: `rotting:${idle}:initial_contact:${idleDate}`, owner_id: rep.userId, origin: 'rotting', status: 'open' }]);
    expect(await tasksOf(fresh)).toEqual([]);

    const events = (await sales.outboxOf(idle)).filter((event) => event.type === 'crm.sales.opportunity.rotting.v1');
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({
      tenantId,
      opportunityId: idle,
      customerId,
      name: '长期无进展的商机',
      stage: 'initial_contact',
      stageName: '初步接触',
      rottingDays: 14,
      idleSince: opened.last_touched_at.toISOString(),
      idleDays: Math.floor((at(15).getTime() - opened.last_touched_at.getTime()) / DAY_MS),
      currency: 'CNY',
      ownerId: rep.userId,
      detectedAt: at(15).toISOString(),
      version: '1',
    });
    expect(events[0].data.taskId).toBeDefined();
  });

  it('counts activities as movement, and a new idle period gets a new task', async () => {
    const id = await open('有活动的商机');
    await sales.queryAsTenant(
      tenantId,
      `INSERT INTO activities (id, tenant_id, kind, subject, status, owner_id, opportunity_id, created_at, updated_at) VALUES ($1, $2, 'call', '电话回访', 'done', $3, $4, $5, $5)`,
      [randomUUID(), tenantId, rep.userId, id, at(5)],
    );
    const job = sales.running.app.get(OpportunityRottingJob);
    await job.trigger(at(15));
    expect(await tasksOf(id)).toEqual([]);
    await job.trigger(at(20));
    expect((await tasksOf(id)).map((task) => task.origin_key)).toEqual([`rotting:${id}:initial_contact:${at(5).toISOString().slice(0, 10)}`]);

    // Moved on (a stage change) and idle again past the next stage's 14 days: a second idle period.
    const moved = await sales.as(rep).post(`/opportunities/${id}/stage`).send({ stage: 'needs_confirmed' });
    expect(moved.status).toBe(200);
    await sales.queryAsTenant(tenantId, `UPDATE opportunities SET last_touched_at = $2 WHERE id = $1`, [id, at(21)]);
    await job.trigger(at(36));
    expect((await tasksOf(id)).map((task) => task.origin_key)).toEqual([
      `rotting:${id}:initial_contact:${at(5).toISOString().slice(0, 10)}`,
      `rotting:${id}:needs_confirmed:${at(21).toISOString().slice(0, 10)}`,
    ]);
  });

  it('leaves closed opportunities alone', async () => {
    const id = await open('已赢单');
    expect((await sales.as(rep).post(`/opportunities/${id}/stage`).send({ stage: 'won' })).status).toBe(200);
    await sales.running.app.get(OpportunityRottingJob).trigger(at(400));
    expect(await tasksOf(id)).toEqual([]);
  });
});
