import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: activities and tasks', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const repId = randomUUID();
  const otherRepId = randomUUID();
  const managerId = randomUUID();
  const outsiderId = randomUUID();
  const rep = caller(tenantId, ['rep'], [teamId], repId);
  const otherRep = caller(tenantId, ['rep'], [teamId], otherRepId);
  const manager = caller(tenantId, ['manager'], [teamId], managerId);
  const outsider = caller(tenantId, ['rep'], [], outsiderId);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_activities');
    await sales.publishUser('created', { tenantId, userId: repId, name: '李雷', roles: ['rep'], teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: otherRepId, name: '韩梅梅', roles: ['rep'], teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: managerId, name: '王经理', roles: ['manager'], teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: outsiderId, name: '外人', roles: ['rep'] });
    customerId = await sales.publishCustomer({ tenantId, name: '上海云启科技有限公司', ownerId: repId });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('logs a call linked to a live customer and emits ActivityLogged with every field', async () => {
    const occurredAt = '2026-11-20T02:30:00.000Z';
    const res = await sales
      .as(rep)
      .post('/activities')
      .send({ kind: 'call', subject: '首次电话沟通', notes: '客户对方案感兴趣', direction: 'outbound', outcome: 'reached', durationSeconds: 420, occurredAt, customerId });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ kind: 'call', status: 'done', ownerId: repId, customerId, occurredAt, durationSeconds: 420, completedAt: null, origin: 'manual', createdBy: repId });
    const events = await sales.outboxOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('crm.sales.activity.logged.v1');
    expect(events[0].data).toMatchObject({
      tenantId,
      activityId: res.body.id,
      kind: 'call',
      direction: 'outbound',
      customerId,
      subject: '首次电话沟通',
      notes: '客户对方案感兴趣',
      outcome: 'reached',
      durationSeconds: 420,
      ownerId: repId,
      occurredAt,
    });
    expect(typeof events[0].data.loggedAt).toBe('string');
  });

  it('refuses unknown customers, fields that do not fit the kind, and owners outside the scope', async () => {
    const unknown = await sales.as(rep).post('/activities').send({ kind: 'note', subject: '备注', customerId: randomUUID() });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('activity_link_not_found');
    const unknownLead = await sales.as(rep).post('/activities').send({ kind: 'call', subject: '电话', leadId: randomUUID() });
    expect(unknownLead.status).toBe(422);
    expect(unknownLead.body.errors[0].field).toBe('leadId');
    const dueOnCall = await sales.as(rep).post('/activities').send({ kind: 'call', subject: '电话', dueAt: '2026-12-01T00:00:00.000Z' });
    expect(dueOnCall.status).toBe(400);
    const directedNote = await sales.as(rep).post('/activities').send({ kind: 'note', subject: '备注', direction: 'inbound' });
    expect(directedNote.status).toBe(400);
    const future = await sales.as(rep).post('/activities').send({ kind: 'meeting', subject: '会议', occurredAt: '2999-01-01T00:00:00.000Z' });
    expect(future.status).toBe(400);
    const badKind = await sales.as(rep).post('/activities').send({ kind: 'fax', subject: '传真' });
    expect(badKind.status).toBe(400);
    const foreignOwner = await sales.as(rep).post('/activities').send({ kind: 'note', subject: '备注', ownerId: otherRepId });
    expect(foreignOwner.status).toBe(422);
    const forTeam = await sales.as(manager).post('/activities').send({ kind: 'task', subject: '跟进报价', ownerId: otherRepId, dueAt: '2026-12-01T00:00:00.000Z' });
    expect(forTeam.status).toBe(201);
    expect(forTeam.body.ownerId).toBe(otherRepId);
  });

  it('creates an open task without an event, completes it with If-Match and emits ActivityLogged kind task', async () => {
    const created = await sales.as(rep).post('/activities').send({ kind: 'task', subject: '发送报价单', dueAt: '2026-12-01T09:00:00.000Z', customerId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', dueAt: '2026-12-01T09:00:00.000Z', occurredAt: null });
    expect(await sales.outboxOf(created.body.id)).toHaveLength(0);

    const stale = await sales.as(rep).patch(`/activities/${created.body.id}`).set('If-Match', '"7"').send({ status: 'done' });
    expect(stale.status).toBe(412);
    const done = await sales.as(rep).patch(`/activities/${created.body.id}`).set('If-Match', '"1"').send({ status: 'done', outcome: 'sent' });
    expect(done.status).toBe(200);
    expect(done.headers.etag).toBe('"2"');
    expect(done.body.status).toBe('done');
    expect(done.body.completedAt).not.toBeNull();
    const events = await sales.outboxOf(created.body.id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ kind: 'task', activityId: created.body.id, outcome: 'sent', customerId, occurredAt: done.body.completedAt });

    const again = await sales.as(rep).patch(`/activities/${created.body.id}`).send({ status: 'cancelled' });
    expect(again.status).toBe(409);
    const statusOnCall = await sales.as(rep).post('/activities').send({ kind: 'call', subject: '回访' });
    const refused = await sales.as(rep).patch(`/activities/${statusOnCall.body.id}`).send({ status: 'cancelled' });
    expect(refused.status).toBe(400);
  });

  it('cancels a task without an event', async () => {
    const created = await sales.as(rep).post('/activities').send({ kind: 'task', subject: '约见客户' });
    const cancelled = await sales.as(rep).patch(`/activities/${created.body.id}`).send({ status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', completedAt: null });
    expect(await sales.outboxOf(created.body.id)).toHaveLength(0);
  });

  it('lists within the ownership scope with filters and cursor paging', async () => {
    const mine = await sales.as(otherRep).post('/activities').send({ kind: 'visit', subject: '上门拜访', customerId });
    expect(mine.status).toBe(201);
    const ownPage = await sales.as(rep).get('/activities?total=true');
    expect(ownPage.status).toBe(200);
    expect(ownPage.body.items.every((item: { ownerId: string }) => item.ownerId === repId)).toBe(true);
    expect(ownPage.body.total).toBe(ownPage.body.items.length);

    const teamPage = await sales.as(manager).get('/activities?total=true');
    const owners = new Set(teamPage.body.items.map((item: { ownerId: string }) => item.ownerId));
    expect(owners).toEqual(new Set([repId, otherRepId]));

    expect((await sales.as(rep).get(`/activities/${mine.body.id}`)).status).toBe(404);
    expect((await sales.as(manager).get(`/activities/${mine.body.id}`)).status).toBe(200);
    expect((await sales.as(outsider).get('/activities')).body.items).toHaveLength(0);

    const visits = await sales.as(manager).get(`/activities?kind=visit&customerId=${customerId}`);
    expect(visits.body.items.map((item: { id: string }) => item.id)).toEqual([mine.body.id]);
    const openTasks = await sales.as(manager).get('/activities?status=open&dueBefore=2026-12-31T00:00:00.000Z');
    expect(openTasks.body.items.length).toBeGreaterThan(0);
    expect(openTasks.body.items.every((item: { kind: string; status: string }) => item.kind === 'task' && item.status === 'open')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await sales.as(manager).get(`/activities?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((item: { id: string }) => item.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(teamPage.body.total);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('needs sales:write to log and hides other tenants', async () => {
    const analyst = caller(tenantId, ['analyst'], [], randomUUID());
    expect((await sales.as(analyst).post('/activities').send({ kind: 'note', subject: 'x' })).status).toBe(403);
    const list = await sales.as(caller(randomUUID(), ['admin'], [], randomUUID())).get('/activities');
    expect(list.body.items).toHaveLength(0);
  });
});
