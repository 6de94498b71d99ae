import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { CustomerMergedEvent, CustomerMergedSchema, CustomerSchema } from '@crm/contracts';
import { caller, SalesHarness, type Identity } from './sales-harness';

// Real PostgreSQL on a shared 2-core host: starting the service and building the fixture can take a while.
jest.setTimeout(120_000);

describe('sales: pipelines and opportunities', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const manager = caller(tenantId, ['manager'], [teamId]);
  const rep = caller(tenantId, ['rep'], [teamId]);
  const otherRep = caller(tenantId, ['rep'], [teamId]);
  const outsider = caller(tenantId, ['rep'], [randomUUID()]);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_opportunities');
    for (const user of [admin, manager, rep, otherRep, outsider]) {
      await sales.publishUser('created', { tenantId, userId: user.userId, roles: [...user.roles], teamIds: [...user.teamIds] });
    }
    customerId = await sales.publishCustomer({ tenantId, name: '上海云启科技有限公司' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const open = async (who: Identity, body: Record<string, unknown> = {}) => {
    const response = await sales.as(who).post('/opportunities').send({ name: '云启 CRM 采购', customerId, ...body });
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number; stage: string; amount: { amountMicros: string; currency: string } };
  };

  it('tells of a new owner given by an edit, and of nothing when the owner stays', async () => {
    const opportunity = await open(rep);
    const moved = await sales.as(manager).patch(`/opportunities/${opportunity.id}`).send({ ownerId: otherRep.userId, version: opportunity.version });
    expect(moved.status).toBe(200);
    await sales.as(manager).patch(`/opportunities/${opportunity.id}`).send({ ownerId: otherRep.userId, name: '云启 CRM 采购（二期）' }).expect(200);
    const ownerEvents = (await sales.outboxOf(opportunity.id)).filter((event) => event.type === 'crm.sales.opportunity.owner_changed.v1');
    expect(ownerEvents).toEqual([
      {
        type: 'crm.sales.opportunity.owner_changed.v1',
        data: expect.objectContaining({ previousOwnerId: rep.userId, ownerId: otherRep.userId, changedBy: manager.userId, version: String(moved.body.version) }),
      },
    ]);
    expect(ownerEvents[0].data.handoverId).toBeUndefined();
  });

  it('gives every tenant one default pipeline with the standard stages, lazily', async () => {
    const [first, second] = await Promise.all([sales.as(rep).get('/pipelines'), sales.as(manager).get('/pipelines')]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const pipeline = first.body.items[0];
    expect(pipeline.isDefault).toBe(true);
    expect(pipeline.stages.map((stage: { key: string; name: string; probability: number }) => [stage.key, stage.name, stage.probability])).toEqual([
      ['initial_contact', '初步接触', 10],
      ['needs_confirmed', '需求确认', 30],
      ['proposal', '方案报价', 60],
      ['contract_signed', '合同签订', 80],
      ['won', '赢单', 100],
      ['lost', '输单', 0],
    ]);
    expect(second.body.items[0].id).toBe(pipeline.id);
  });

  it('creates pipelines (sales:configure), refuses removing a stage in use with 409 and needs the current version', async () => {
    const stages = [
      { key: 'qualify', name: '资格确认', probability: 20, rottingDays: 5 },
      { key: 'negotiate', name: '谈判', probability: 70 },
    ];
    expect((await sales.as(rep).post('/pipelines').send({ name: '大客户', stages })).status).toBe(403);
    const created = await sales.as(manager).post('/pipelines').send({ name: '大客户', stages });
    expect(created.status).toBe(201);
    expect(created.body.stages.map((stage: { key: string }) => stage.key)).toEqual(['qualify', 'negotiate', 'won', 'lost']);
    const reserved = await sales.as(manager).post('/pipelines').send({ name: 'x', stages: [{ key: 'won', name: 'x', probability: 1 }] });
    expect(reserved.status).toBe(400);

    await open(rep, { pipelineId: created.body.id, stage: 'negotiate' });
    const removing = await sales.as(manager).patch(`/pipelines/${created.body.id}`).set('If-Match', '"1"').send({ stages: [stages[0]] });
    expect(removing.status).toBe(409);
    expect(removing.body.code).toBe('stage_in_use');
    const stale = await sales.as(manager).patch(`/pipelines/${created.body.id}`).set('If-Match', '"7"').send({ name: '大客户管道' });
    expect(stale.status).toBe(412);
    const renamed = await sales
      .as(manager)
      .patch(`/pipelines/${created.body.id}`)
      .set('If-Match', '"1"')
      .send({ name: '大客户管道', stages: [...stages, { key: 'legal', name: '法务审核', probability: 90 }] });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(2);
    expect(renamed.body.stages.map((stage: { key: string }) => stage.key)).toEqual(['qualify', 'negotiate', 'legal', 'won', 'lost']);
  });

  it('opens an opportunity with line items, in the first stage, with history and OpportunityOpened', async () => {
    const created = await sales
      .as(rep)
      .post('/opportunities')
      .send({
        name: '云启 CRM 采购',
        customerId,
        expectedCloseDate: '2026-12-15',
        lineItems: [
          { name: 'CRM 专业版', sku: 'CRM-PRO', quantity: 10, unitPriceMicros: '12000000000', discountMicros: '5000000000' },
          { name: '实施服务', quantity: 1.5, unitPriceMicros: '2000000000' },
        ],
      });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      ownerId: rep.userId,
      stage: 'initial_contact',
      stageName: '初步接触',
      probability: 10,
      status: 'open',
      amount: { amountMicros: '118000000000', currency: 'CNY' },
      weightedAmount: { amountMicros: '11800000000', currency: 'CNY' },
      expectedCloseDate: '2026-12-15',
    });
    expect(created.body.lineItems[0].total).toEqual({ amountMicros: '115000000000', currency: 'CNY' });
    const events = await sales.outboxOf(created.body.id);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('crm.sales.opportunity.opened.v1');
    expect(events[0].data).toMatchObject({
      tenantId,
      opportunityId: created.body.id,
      customerId,
      name: '云启 CRM 采购',
      pipelineId: created.body.pipelineId,
      stage: 'initial_contact',
      stageName: '初步接触',
      probabilityPercent: 10,
      amountMicros: '118000000000',
      currency: 'CNY',
      expectedCloseDate: '2026-12-15',
      ownerId: rep.userId,
      version: '1',
    });
  });

  it('refuses customers that are not live (422) and owners outside the scope', async () => {
    const unknown = await sales.as(rep).post('/opportunities').send({ name: 'x', customerId: randomUUID() });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('customer_not_found');
    const forOther = await sales.as(rep).post('/opportunities').send({ name: 'x', customerId, ownerId: otherRep.userId });
    expect(forOther.status).toBe(403);
    const byManager = await sales.as(manager).post('/opportunities').send({ name: 'x', customerId, ownerId: otherRep.userId });
    expect(byManager.status).toBe(201);
    expect(byManager.body.ownerId).toBe(otherRep.userId);
    const notAUser = await sales.as(admin).post('/opportunities').send({ name: 'x', customerId, ownerId: randomUUID() });
    expect(notAUser.status).toBe(422);
  });

  it('moves through stages with history and events, wins, and refuses to reopen', async () => {
    const opportunity = await open(rep, { amount: { amountMicros: '500000000000', currency: 'CNY' } });
    const moved = await sales.as(rep).patch(`/opportunities/${opportunity.id}`).set('If-Match', '"1"').send({ stage: 'needs_confirmed' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stage: 'needs_confirmed', probability: 30, version: 2 });
    const proposal = await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).set('If-Match', '"2"').send({ stage: 'proposal' });
    expect(proposal.status).toBe(200);
    const stale = await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).set('If-Match', '"2"').send({ stage: 'contract_signed' });
    expect(stale.status).toBe(412);
    const unknownStage = await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).send({ stage: 'nowhere' });
    expect(unknownStage.status).toBe(422);
    const won = await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).send({ stage: 'won' });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won', stage: 'won', probability: 100, version: 4 });
    expect(won.body.closedAt).not.toBeNull();

    const reopen = await sales.as(rep).patch(`/opportunities/${opportunity.id}`).send({ stage: 'proposal' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe('opportunity_closed');

    const history = await sales.as(rep).get(`/opportunities/${opportunity.id}/stage-history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((entry: { fromStage: string | null; toStage: string; by: string }) => [entry.fromStage, entry.toStage, entry.by])).toEqual([
      [null, 'initial_contact', rep.userId],
      ['initial_contact', 'needs_confirmed', rep.userId],
      ['needs_confirmed', 'proposal', rep.userId],
      ['proposal', 'won', rep.userId],
    ]);
    expect(history.body.items[1].daysInFromStage).toBeGreaterThanOrEqual(0);

    const events = await sales.outboxOf(opportunity.id);
    expect(events.map((event) => event.type)).toEqual([
      'crm.sales.opportunity.opened.v1',
      'crm.sales.opportunity.stage_changed.v1',
      'crm.sales.opportunity.stage_changed.v1',
      'crm.sales.opportunity.won.v1',
    ]);
    expect(events[1].data).toMatchObject({ previousStage: 'initial_contact', stage: 'needs_confirmed', stageName: '需求确认', probabilityPercent: 30, changedBy: rep.userId, version: '2' });
    expect(events[3].data).toMatchObject({
      tenantId,
      opportunityId: opportunity.id,
      customerId,
      previousStage: 'proposal',
      amountMicros: '500000000000',
      currency: 'CNY',
      ownerId: rep.userId,
      changedBy: rep.userId,
      version: '4',
    });
    const reach = await sales.queryAsTenant<{ stage: string; advanced: boolean }>(tenantId, `SELECT stage, advanced FROM opportunity_stage_reach WHERE opportunity_id = $1 ORDER BY first_entered_at`, [opportunity.id]);
    expect(reach).toEqual([
      { stage: 'initial_contact', advanced: true },
      { stage: 'needs_confirmed', advanced: true },
      { stage: 'proposal', advanced: true },
    ]);
  });

  it('loses only with a reason, and emits OpportunityLost', async () => {
    const opportunity = await open(rep);
    const noReason = await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).send({ stage: 'lost' });
    expect(noReason.status).toBe(400);
    const lost = await sales.as(rep).patch(`/opportunities/${opportunity.id}`).send({ stage: 'lost', lostReason: '价格', competitor: '某竞品' });
    expect(lost.status).toBe(200);
    expect(lost.body).toMatchObject({ status: 'lost', lostReason: '价格', competitor: '某竞品' });
    const events = await sales.outboxOf(opportunity.id);
    expect(events[1].type).toBe('crm.sales.opportunity.lost.v1');
    expect(events[1].data).toMatchObject({ previousStage: 'initial_contact', reason: '价格', competitor: '某竞品', ownerId: rep.userId, changedBy: rep.userId, version: '2' });
    expect((await sales.as(rep).post(`/opportunities/${opportunity.id}/stage`).send({ stage: 'won' })).status).toBe(409);
  });

  it('scopes opportunities by ownership: rep own, manager team, admin all', async () => {
    const mine = await open(rep);
    expect((await sales.as(otherRep).get(`/opportunities/${mine.id}`)).status).toBe(404);
    expect((await sales.as(otherRep).patch(`/opportunities/${mine.id}`).send({ name: 'x' })).status).toBe(404);
    expect((await sales.as(outsider).get(`/opportunities/${mine.id}`)).status).toBe(404);
    expect((await sales.as(manager).get(`/opportunities/${mine.id}`)).status).toBe(200);
    expect((await sales.as(admin).get(`/opportunities/${mine.id}`)).status).toBe(200);
    expect((await sales.as(rep).get('/opportunities/not-a-uuid')).status).toBe(404);

    const listed = await sales.as(otherRep).get('/opportunities?limit=200');
    expect(listed.body.items.every((item: { ownerId: string }) => item.ownerId === otherRep.userId)).toBe(true);
    const page1 = await sales.as(rep).get('/opportunities?limit=2&total=true');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.total).toBeGreaterThan(2);
    const page2 = await sales.as(rep).get(`/opportunities?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
  });

  it('recomputes the amount from new lines and re-points opportunities on customer merges', async () => {
    const opportunity = await open(rep, { lineItems: [{ name: 'A', quantity: 1, unitPriceMicros: '1000000' }] });
    expect(opportunity.amount.amountMicros).toBe('1000000');
    const changed = await sales
      .as(rep)
      .patch(`/opportunities/${opportunity.id}`)
      .send({ lineItems: [{ name: 'B', quantity: 3, unitPriceMicros: '2000000' }], expectedCloseDate: null });
    expect(changed.status).toBe(200);
    expect(changed.body.amount.amountMicros).toBe('6000000');
    const rows = await sales.queryAsTenant<{ last_touched_at: Date; stage_entered_at: Date }>(tenantId, `SELECT last_touched_at, stage_entered_at FROM opportunities WHERE id = $1`, [opportunity.id]);
    expect(rows[0].last_touched_at.getTime()).toBeGreaterThan(rows[0].stage_entered_at.getTime());

    const survivorId = await sales.publishCustomer({ tenantId, name: '云启科技（集团）' });
    const survivor = create(CustomerSchema, { type: 'company', name: '云启科技（集团）' });
    await sales.publishEvent(CustomerMergedEvent, create(CustomerMergedSchema, { tenantId, customerId: survivorId, mergeId: randomUUID(), mergedCustomerIds: [customerId], customer: survivor, version: 2n }), survivorId);
    const after = await sales.as(rep).get(`/opportunities/${opportunity.id}`);
    expect(after.body.customerId).toBe(survivorId);
  });
});
