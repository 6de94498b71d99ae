import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: rep plans and the process report', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const liId = randomUUID();
  const hanId = randomUUID();
  const managerId = randomUUID();
  const outsiderId = randomUUID();
  const li = caller(tenantId, ['rep'], [teamId], liId);
  const han = caller(tenantId, ['rep'], [teamId], hanId);
  const manager = caller(tenantId, ['manager'], [teamId], managerId);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_plans');
    await sales.publishUser('created', { tenantId, userId: liId, name: 'A 李雷', teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: hanId, name: 'B 韩梅梅', teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: managerId, name: 'C 王经理', roles: ['manager'], teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: outsiderId, name: 'D 外人' });
    customerId = await sales.publishCustomer({ tenantId, name: '苏州工业园区某公司', ownerId: liId });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  describe('plans', () => {
    it('creates a weekly plan with items, tracks completion, and keeps one plan per rep and period', async () => {
      const created = await sales
        .as(li)
        .post('/plans')
        .send({
          periodType: 'week',
          periodStart: '2026-11-23',
          notes: '本周重点：华东客户',
          items: [
            { title: '电话回访老客户', kind: 'call', targetCount: 10 },
            { title: '拜访苏州客户', kind: 'visit', targetCount: 2, customerId },
            { title: '整理报价', kind: 'other' },
          ],
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ownerId: liId, periodType: 'week', periodStart: '2026-11-23', periodEnd: '2026-11-29', completion: 0, version: 1 });
      expect(created.body.items.map((item: { targetCount: number }) => item.targetCount)).toEqual([10, 2, 1]);

      const [call, visit, chore] = created.body.items as Array<{ id: string }>;
      const progressed = await sales.as(li).patch(`/plans/${created.body.id}/items/${call.id}`).set('If-Match', '"1"').send({ doneCount: 5 });
      expect(progressed.status).toBe(200);
      expect(progressed.headers.etag).toBe('"2"');
      await sales.as(li).patch(`/plans/${created.body.id}/items/${visit.id}`).send({ doneCount: 4 });
      const done = await sales.as(li).patch(`/plans/${created.body.id}/items/${chore.id}`).send({ done: true });
      // (5 + min(4, 2) + 1) / (10 + 2 + 1) = 8 / 13
      expect(done.body.completion).toBe(61.5);
      expect(done.body.items.map((item: { done: boolean }) => item.done)).toEqual([false, true, true]);
      expect((await sales.as(li).patch(`/plans/${created.body.id}/items/${chore.id}`).set('If-Match', '"1"').send({ done: false })).status).toBe(412);

      const duplicate = await sales.as(li).post('/plans').send({ periodType: 'week', periodStart: '2026-11-23' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('plan_exists');
      expect((await sales.as(li).post('/plans').send({ periodType: 'day', periodStart: '2026-11-23' })).status).toBe(201);
    });

    it('refuses periods that do not start right, unknown customers and owners outside the scope', async () => {
      expect((await sales.as(li).post('/plans').send({ periodType: 'week', periodStart: '2026-11-24' })).status).toBe(400);
      expect((await sales.as(li).post('/plans').send({ periodType: 'month', periodStart: '2026-11-15' })).status).toBe(400);
      const unknown = await sales
        .as(li)
        .post('/plans')
        .send({ periodType: 'month', periodStart: '2026-11-01', items: [{ title: 'x', kind: 'visit', customerId: randomUUID() }] });
      expect(unknown.status).toBe(422);
      expect((await sales.as(li).post('/plans').send({ periodType: 'month', periodStart: '2026-11-01', ownerId: hanId })).status).toBe(422);
      expect((await sales.as(manager).post('/plans').send({ periodType: 'month', periodStart: '2026-11-01', ownerId: outsiderId })).status).toBe(422);
    });

    it('replaces items keeping the ones given by id; managers see and edit their team members’ plans', async () => {
      const created = await sales
        .as(manager)
        .post('/plans')
        .send({ ownerId: hanId, periodType: 'month', periodStart: '2026-11-01', items: [{ title: '新客户开发', kind: 'meeting', targetCount: 4, doneCount: 1 }] });
      expect(created.status).toBe(201);
      expect(created.body.ownerId).toBe(hanId);
      const kept = created.body.items[0];
      const replaced = await sales
        .as(han)
        .patch(`/plans/${created.body.id}`)
        .send({ items: [{ title: '电话', kind: 'call', targetCount: 20 }, { id: kept.id, title: '新客户开发（更新）', kind: 'meeting' }] });
      expect(replaced.status).toBe(200);
      expect(replaced.body.items).toMatchObject([
        { title: '电话', targetCount: 20, doneCount: 0, position: 0 },
        { id: kept.id, title: '新客户开发（更新）', targetCount: 4, doneCount: 1, position: 1 },
      ]);
      const foreign = await sales.as(han).patch(`/plans/${created.body.id}`).send({ items: [{ id: randomUUID(), title: 'x', kind: 'call' }] });
      expect(foreign.status).toBe(400);

      expect((await sales.as(li).get(`/plans/${created.body.id}`)).status).toBe(404);
      const teamPlans = await sales.as(manager).get(`/plans?teamId=${teamId}&from=2026-11-01&to=2026-12-01&total=true`);
      expect(teamPlans.status).toBe(200);
      expect(new Set(teamPlans.body.items.map((plan: { ownerId: string }) => plan.ownerId))).toEqual(new Set([liId, hanId]));
      const liPlans = await sales.as(li).get('/plans?periodType=week');
      expect(liPlans.body.items).toHaveLength(1);
    });
  });

  describe('process report', () => {
    const at = (day: number, hour = 3): string => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
    let pipelineId: string;
    let opportunityId: string;

    beforeAll(async () => {
      pipelineId = randomUUID();
      opportunityId = randomUUID();
      await sales.queryAsTenant(tenantId, `INSERT INTO pipelines (id, tenant_id, name, is_default) VALUES ($1, $2, '标准销售流程', false)`, [pipelineId, tenantId]);
      await sales.queryAsTenant(
        tenantId,
        `INSERT INTO pipeline_stages (pipeline_id, key, tenant_id, name, kind, position, probability)
         VALUES ($1, 'initial_contact', $2, '初步接触', 'open', 0, 10), ($1, 'needs_confirmed', $2, '需求确认', 'open', 1, 30)`,
        [pipelineId, tenantId],
      );
      await sales.queryAsTenant(
        tenantId,
        `INSERT INTO opportunities (id, tenant_id, name, customer_id, owner_id, pipeline_id, stage, status, currency, stage_entered_at, last_touched_at, opened_at)
         VALUES ($1, $2, '苏州项目', $3, $4, $5, 'needs_confirmed', 'open', 'CNY', now(), now(), now())`,
        [opportunityId, tenantId, customerId, liId, pipelineId],
      );
      // 李雷: 3 calls (2 about the opportunity), 1 visit about it, 1 call outside the range; 韩梅梅: 1 meeting.
      const logged: Array<[string, string, string, string | null]> = [
        [liId, 'call', at(2), opportunityId],
        [liId, 'call', at(3), opportunityId],
        [liId, 'call', at(4), null],
        [liId, 'visit', at(5), opportunityId],
        [liId, 'call', '2026-10-31T23:59:59.000Z', opportunityId],
        [hanId, 'meeting', at(6), null],
      ];
      for (const [ownerId, kind, occurredAt, opportunity] of logged) {
        await sales.queryAsTenant(
          tenantId,
          `INSERT INTO activities (id, tenant_id, kind, subject, status, occurred_at, owner_id, opportunity_id) VALUES ($1, $2, $3, '记录', 'done', $4, $5, $6)`,
          [randomUUID(), tenantId, kind, occurredAt, ownerId, opportunity],
        );
      }
      // Tasks: 李雷 one done on time, one done late, one still open and past due, one due in the future (not overdue), one cancelled.
      const tasks: Array<[string, string, string, string | null]> = [
        [liId, 'done', at(10), at(9)],
        [liId, 'done', at(12), at(14)],
        [liId, 'open', at(15), null],
        [liId, 'open', '2999-01-01T00:00:00.000Z', null],
        [liId, 'cancelled', at(16), null],
        [hanId, 'done', at(20), at(20, 1)],
      ];
      for (const [ownerId, status, dueAt, completedAt] of tasks) {
        await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, status, due_at, completed_at, owner_id) VALUES ($1, $2, 'task', '任务', $3, $4, $5, $6)`, [
          randomUUID(),
          tenantId,
          status,
          dueAt,
          completedAt,
          ownerId,
        ]);
      }
    });

    it('counts activities by kind and by opportunity stage, tasks done and overdue, and plan completion per rep and for the team', async () => {
      const res = await sales.as(manager).get(`/reports/process?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&teamId=${teamId}`);
      expect(res.status).toBe(200);
      const byOwner = Object.fromEntries(res.body.reps.map((rep: { ownerId: string }) => [rep.ownerId, rep]));
      expect(Object.keys(byOwner).sort()).toEqual([liId, hanId, managerId].sort());
      expect(byOwner[liId]).toMatchObject({
        name: 'A 李雷',
        activities: 4,
        activitiesByKind: [
          { kind: 'call', count: 3 },
          { kind: 'visit', count: 1 },
        ],
        activitiesByStage: [{ pipelineId, stage: 'needs_confirmed', stageName: '需求确认', count: 3 }],
        tasksDone: 2,
        tasksOverdue: 2,
        // weekly plan 8/13 plus the empty daily plan
        planTarget: 13,
        planDone: 8,
        planCompletion: 61.5,
      });
      // 韩梅梅's monthly plan: 电话 0/20 and 新客户开发 1/4
      expect(byOwner[hanId]).toMatchObject({ activities: 1, activitiesByKind: [{ kind: 'meeting', count: 1 }], tasksDone: 1, tasksOverdue: 0, planTarget: 24, planDone: 1, planCompletion: 4.2 });
      expect(byOwner[managerId]).toMatchObject({ activities: 0, tasksDone: 0, planCompletion: null });
      expect(res.body.total).toMatchObject({ activities: 5, tasksDone: 3, tasksOverdue: 2, planTarget: 37, planDone: 9, planCompletion: 24.3 });
      expect(res.body.total.activitiesByStage).toEqual([{ pipelineId, stage: 'needs_confirmed', stageName: '需求确认', count: 3 }]);
    });

    it('narrows to the scope: a rep sees only themself, whatever they ask for', async () => {
      const own = await sales.as(han).get('/reports/process?from=2026-11-01&to=2026-12-01');
      expect(own.body.reps.map((rep: { ownerId: string }) => rep.ownerId)).toEqual([hanId]);
      const other = await sales.as(han).get(`/reports/process?from=2026-11-01&to=2026-12-01&ownerId=${liId}`);
      expect(other.body.reps).toEqual([]);
      const weekly = await sales.as(manager).get(`/reports/process?from=2026-11-01&to=2026-12-01&ownerId=${liId}&planPeriodType=week`);
      expect(weekly.body.reps[0]).toMatchObject({ planTarget: 13, planDone: 8 });
      expect((await sales.as(manager).get('/reports/process?from=2026-12-01&to=2026-11-01')).status).toBe(400);
    });
  });
  describe('items that count activities', () => {
    it('counts the rep’s logged activities of the item’s kind in the period, in the plan and in the report', async () => {
      // 韩梅梅 logged one meeting on 2026-11-06 (the process report fixture).
      const created = await sales
        .as(han)
        .post('/plans')
        .send({ periodType: 'day', periodStart: '2026-11-06', items: [{ title: '客户会议', kind: 'meeting', targetCount: 2, countActivities: true }] });
      expect(created.status).toBe(201);
      expect(created.body.items[0]).toMatchObject({ countActivities: true, doneCount: 1, done: false });
      expect(created.body.completion).toBe(50);

      const byHand = await sales.as(han).patch(`/plans/${created.body.id}/items/${created.body.items[0].id}`).send({ doneCount: 2 });
      expect(byHand.status).toBe(409);
      expect(byHand.body.code).toBe('plan_item_counts_activities');
      const other = await sales.as(han).post('/plans').send({ periodType: 'day', periodStart: '2026-11-07', items: [{ title: '杂事', kind: 'other', countActivities: true }] });
      expect(other.status).toBe(400);

      const report = await sales.as(han).get('/reports/process?from=2026-11-06&to=2026-11-07&planPeriodType=day');
      expect(report.body.reps[0]).toMatchObject({ ownerId: hanId, planTarget: 2, planDone: 1, planCompletion: 50 });
    });
  });
});
