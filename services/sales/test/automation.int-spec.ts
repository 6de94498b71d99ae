import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { OpportunityWonEvent, OpportunityWonSchema, OrderPlacedEvent, OrderPlacedSchema } from '@crm/contracts';
import { LeadEscalationJob } from '../src/automation/lead-escalation.job';
import { caller, SalesHarness, type Identity } from './sales-harness';

const HOUR = 3_600_000;

/** Polls until `probe` returns something truthy (the relay delivers sales' own events asynchronously). */
async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sales: automation rules', () => {
  let sales: SalesHarness;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_automation');
  });

  afterAll(async () => {
    await sales?.stop();
  });

  /** A tenant with a team (rep + manager), an admin and a customer in 华东, all in the read models. */
  async function tenant(): Promise<{ tenantId: string; teamId: string; admin: Identity; manager: Identity; rep: Identity; customerId: string }> {
    const tenantId = randomUUID();
    const teamId = randomUUID();
    const admin = caller(tenantId, ['admin']);
    const manager = caller(tenantId, ['manager'], [teamId]);
    const rep = caller(tenantId, ['rep'], [teamId]);
    await sales.publishUser('created', { tenantId, userId: admin.userId, roles: ['admin'] });
    await sales.publishUser('created', { tenantId, userId: manager.userId, roles: ['manager'], teamIds: [teamId] });
    await sales.publishUser('created', { tenantId, userId: rep.userId, roles: ['rep'], teamIds: [teamId] });
    const customerId = await sales.publishCustomer({ tenantId, name: '苏州工业园区精密机械有限公司', region: '华东' });
    return { tenantId, teamId, admin, manager, rep, customerId };
  }

  /** Whether sales' consumer group has processed the outbox events about `subject` (the relay ran and the consumer committed). */
  async function consumed(subject: string, type: string): Promise<boolean> {
    const rows: Array<{ done: boolean }> = await sales.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM messaging_outbox o JOIN messaging_inbox i ON i.event_id = o.event_id AND i.consumer_group = 'sales' WHERE o.subject = $1 AND o.type = $2) AS done`,
      [subject, type],
    );
    return rows[0].done;
  }

  async function salesTotals(who: Identity): Promise<{ orders: number; revenue: string }> {
    const report = await sales.as(who).get(`/reports/sales?groupBy=owner&period=${new Date().getUTCFullYear()}`);
    expect(report.status).toBe(200);
    return { orders: report.body.totals.orders, revenue: report.body.totals.revenue.amountMicros };
  }

  it('order placed → a draft contract with a requested invoice, once per order even when the event comes again', async () => {
    const { tenantId, admin, rep, customerId } = await tenant();
    const rule = await sales
      .as(admin)
      .post('/automation-rules')
      .send({
        name: '下单自动起草合同',
        trigger: 'order_placed',
        action: 'draft_contract_with_invoice_request',
        conditions: { minAmount: { amountMicros: '1000000000', currency: 'CNY' }, channels: ['sales'], regions: ['华东'] },
        params: { invoiceDueDays: 15, termMonths: 12 },
      });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ trigger: 'order_placed', action: 'draft_contract_with_invoice_request', active: true, version: 1, params: { invoiceDueDays: 15, termMonths: 12 } });

    const order = await sales
      .as(rep)
      .post('/orders')
      .send({ customerId, currency: 'CNY', placedAt: '2026-11-20T08:00:00.000Z', lines: [{ name: '数控机床维保服务', quantity: 2, unitPriceMicros: '5000000000' }] });
    expect(order.status).toBe(201);
    const orderId: string = order.body.id;

    const [contractRow] = await eventually(
      () => sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM contracts WHERE order_id = $1`, [orderId]).then((rows) => rows.length > 0 && rows),
      'the draft contract',
    );
    const contract = await sales.as(admin).get(`/contracts/${contractRow.id}`);
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({
      status: 'draft',
      orderId,
      customerId,
      ownerId: rep.userId,
      amount: { amountMicros: '10000000000', currency: 'CNY' },
      startDate: '2026-11-20',
      endDate: '2027-11-19',
    });
    expect(contract.body.title).toContain(order.body.orderNumber);
    expect(contract.body.instalments).toEqual([expect.objectContaining({ seq: 1, dueDate: '2026-12-05', amount: { amountMicros: '10000000000', currency: 'CNY' }, invoiceStatus: 'requested' })]);
    const contractEvents = await sales.outboxOf(contractRow.id);
    expect(contractEvents).toEqual([
      { type: 'crm.sales.payment.invoice_status_changed.v1', data: expect.objectContaining({ contractId: contractRow.id, previousStatus: 'none', status: 'requested', amountMicros: '10000000000' }) },
    ]);

    const runs = await sales.as(rep).get(`/automation-rules/${rule.body.id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ subjectKind: 'order', subjectId: orderId, outcome: 'created', created: expect.objectContaining({ contractId: contractRow.id }), error: null, attempts: 1 }),
    ]);

    // The same OrderPlaced again, as a second event for the same order (the inbox would drop the same event id): nothing new.
    const [placed] = (await sales.outboxOf(orderId)).filter((event) => event.type === 'crm.sales.order.placed.v1');
    const again = create(OrderPlacedSchema, {
      tenantId,
      orderId,
      customerId,
      orderNumber: order.body.orderNumber,
      currency: 'CNY',
      totalAmountMicros: 10_000_000_000n,
      channel: 'sales',
      ownerId: rep.userId,
      placedAt: placed.data.placedAt as string,
      version: 1n,
    });
    await sales.publishEvent(OrderPlacedEvent, again, orderId);
    await sales.publishEvent(OrderPlacedEvent, again, orderId);
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM contracts WHERE order_id = $1`, [orderId])).toHaveLength(1);
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM automation_runs WHERE rule_id = $1`, [rule.body.id])).toHaveLength(1);

    // Conditions: another channel, or an amount below the minimum, runs nothing (and records no run).
    const web = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', channel: 'web', lines: [{ name: '备件', quantity: 1, unitPriceMicros: '2000000000' }] });
    const small = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '小件', quantity: 1, unitPriceMicros: '1000' }] });
    await eventually(() => consumed(web.body.id, 'crm.sales.order.placed.v1'), 'the web order event');
    await eventually(() => consumed(small.body.id, 'crm.sales.order.placed.v1'), 'the small order event');
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM contracts WHERE order_id = ANY($1::uuid[])`, [[web.body.id, small.body.id]])).toEqual([]);
    expect((await sales.as(admin).get(`/automation-rules/${rule.body.id}/runs`)).body.items).toHaveLength(1);

    // An inactive rule does nothing.
    const paused = await sales.as(admin).patch(`/automation-rules/${rule.body.id}`).set('If-Match', '"1"').send({ active: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ active: false, version: 2 });
    const later = await sales.as(rep).post('/orders').send({ customerId, currency: 'CNY', lines: [{ name: '维保续费', quantity: 1, unitPriceMicros: '3000000000' }] });
    await eventually(() => consumed(later.body.id, 'crm.sales.order.placed.v1'), 'the later order event');
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM contracts WHERE order_id = $1`, [later.body.id])).toEqual([]);
  });

  it('rules of one tenant never act on another tenant’s events', async () => {
    const first = await tenant();
    const second = await tenant();
    const rule = await sales.as(first.admin).post('/automation-rules').send({ name: 'r', trigger: 'order_placed', action: 'draft_contract_with_invoice_request' });
    expect(rule.status).toBe(201);
    const order = await sales.as(second.rep).post('/orders').send({ customerId: second.customerId, currency: 'CNY', lines: [{ name: 'x', quantity: 1, unitPriceMicros: '5000000000' }] });
    await eventually(() => consumed(order.body.id, 'crm.sales.order.placed.v1'), 'the order event');
    expect(await sales.queryAsTenant(second.tenantId, `SELECT id FROM contracts WHERE order_id = $1`, [order.body.id])).toEqual([]);
    expect((await sales.as(first.admin).get(`/automation-rules/${rule.body.id}/runs`)).body.items).toEqual([]);
    expect((await sales.as(second.admin).get(`/automation-rules/${rule.body.id}`)).status).toBe(404);
  });

  it('opportunity won → a draft order that is no sale until placed; placing emits OrderPlaced, cancelling a draft emits nothing', async () => {
    const { tenantId, admin, rep, customerId } = await tenant();
    const rule = await sales.as(admin).post('/automation-rules').send({ name: '赢单生成订单草稿', trigger: 'opportunity_won', action: 'draft_order', conditions: { regions: ['华东'] } });
    expect(rule.status).toBe(201);
    const before = await salesTotals(admin);
    const partner = await sales.as(admin).post('/partners').send({ name: '华东分销商', kind: 'reseller', region: '华东' });
    expect(partner.status).toBe(201);
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    const partnerOrders = async (): Promise<number> => {
      const report = await sales.as(admin).get(`/reports/partners?period=${quarter}&groupBy=partner`);
      expect(report.status).toBe(200);
      return report.body.rows.find((row: { key: string }) => row.key === partner.body.id)?.orders ?? 0;
    };

    const opportunity = await sales
      .as(rep)
      .post('/opportunities')
      .send({
        name: '产线升级项目',
        customerId,
        partnerId: partner.body.id,
        lineItems: [
          { name: '数控系统', quantity: 2, unitPriceMicros: '30000000000', discountMicros: '1000000000' },
          { sku: 'SVC-INSTALL', name: '安装调试', quantity: 1, unitPriceMicros: '5000000000' },
        ],
      });
    expect(opportunity.status).toBe(201);
    expect((await sales.as(rep).post(`/opportunities/${opportunity.body.id}/stage`).send({ stage: 'won' })).status).toBe(200);

    const [row] = await eventually(
      () => sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM orders WHERE opportunity_id = $1`, [opportunity.body.id]).then((rows) => rows.length > 0 && rows),
      'the draft order',
    );
    const draft = await sales.as(rep).get(`/orders/${row.id}`);
    expect(draft.body).toMatchObject({ status: 'draft', customerId, ownerId: rep.userId, opportunityId: opportunity.body.id, partnerId: partner.body.id, currency: 'CNY', total: { amountMicros: '64000000000', currency: 'CNY' }, version: 1 });
    expect(draft.body.lines).toEqual([
      expect.objectContaining({ name: '数控系统', quantity: 2, lineTotal: { amountMicros: '59000000000', currency: 'CNY' } }),
      expect.objectContaining({ sku: 'SVC-INSTALL', name: '安装调试', quantity: 1, lineTotal: { amountMicros: '5000000000', currency: 'CNY' } }),
    ]);
    expect(await sales.outboxOf(row.id)).toEqual([]);
    expect(await salesTotals(admin)).toEqual(before);
    expect(await partnerOrders()).toBe(0);
    const draftProducts = await sales.as(admin).get(`/reports/sales?groupBy=product&period=${new Date().getUTCFullYear()}`);
    expect(draftProducts.body.totals).toMatchObject({ orders: before.orders, revenue: { amountMicros: before.revenue } });
    expect((await sales.as(rep).get(`/orders?status=draft`)).body.items.map((order: { id: string }) => order.id)).toEqual([row.id]);
    expect((await sales.as(rep).post(`/orders/${row.id}/pay`)).status).toBe(409);
    const runs = await sales.as(admin).get(`/automation-rules/${rule.body.id}/runs`);
    expect(runs.body.items).toEqual([expect.objectContaining({ subjectKind: 'opportunity', subjectId: opportunity.body.id, outcome: 'created', created: expect.objectContaining({ orderId: row.id }) })]);

    // OpportunityWon again (a second event for the same deal): no second draft.
    await sales.publishEvent(
      OpportunityWonEvent,
      create(OpportunityWonSchema, { tenantId, opportunityId: opportunity.body.id, customerId, name: '产线升级项目', amountMicros: 64_000_000_000n, currency: 'CNY', ownerId: rep.userId, version: 3n }),
      opportunity.body.id,
    );
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM orders WHERE opportunity_id = $1`, [opportunity.body.id])).toHaveLength(1);

    const stale = await sales.as(rep).post(`/orders/${row.id}/place`).set('If-Match', '"7"');
    expect(stale.status).toBe(412);
    const placed = await sales.as(rep).post(`/orders/${row.id}/place`).set('If-Match', '"1"');
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ status: 'placed', version: 2, placedBy: rep.userId });
    expect(await sales.outboxOf(row.id)).toEqual([{ type: 'crm.sales.order.placed.v1', data: expect.objectContaining({ orderId: row.id, totalAmountMicros: '64000000000', opportunityId: opportunity.body.id, version: '2' }) }]);
    expect((await sales.as(rep).post(`/orders/${row.id}/place`)).status).toBe(409);
    const after = await salesTotals(admin);
    expect(after.orders).toBe(before.orders + 1);
    expect(BigInt(after.revenue) - BigInt(before.revenue)).toBe(64_000_000_000n);
    const products = await sales.as(admin).get(`/reports/sales?groupBy=product&period=${new Date().getUTCFullYear()}`);
    expect(products.body.totals.orders).toBe(after.orders);
    expect(await partnerOrders()).toBe(1);

    // A won deal without line items: one line with its name and amount; cancelling the draft emits no OrderCancelled.
    const simple = await sales.as(rep).post('/opportunities').send({ name: '年度维保合同', customerId, amount: { amountMicros: '12000000000', currency: 'CNY' } });
    await sales.as(rep).post(`/opportunities/${simple.body.id}/stage`).send({ stage: 'won' });
    const [simpleRow] = await eventually(
      () => sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM orders WHERE opportunity_id = $1`, [simple.body.id]).then((rows) => rows.length > 0 && rows),
      'the second draft order',
    );
    const simpleDraft = await sales.as(rep).get(`/orders/${simpleRow.id}`);
    expect(simpleDraft.body.lines).toEqual([expect.objectContaining({ name: '年度维保合同', quantity: 1, lineTotal: { amountMicros: '12000000000', currency: 'CNY' } })]);
    const cancelled = await sales.as(rep).post(`/orders/${simpleRow.id}/cancel`).send({ reason: '客户改为框架协议' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await sales.outboxOf(simpleRow.id)).toEqual([]);
    expect(await salesTotals(admin)).toEqual(after);
  });

  it('records a failing action as a failed run without poisoning the event, and retries it when the subject comes again', async () => {
    const { tenantId, admin, customerId } = await tenant();
    const stranger = caller(tenantId, ['rep']); // not (yet) a user in the read model: orders refuse them as owner
    const rule = await sales.as(admin).post('/automation-rules').send({ name: '赢单草稿', trigger: 'opportunity_won', action: 'draft_order' });
    const opportunity = await sales.as(stranger).post('/opportunities').send({ name: '试点项目', customerId, amount: { amountMicros: '8000000000', currency: 'CNY' } });
    expect(opportunity.status).toBe(201);
    await sales.as(stranger).post(`/opportunities/${opportunity.body.id}/stage`).send({ stage: 'won' });
    await eventually(() => consumed(opportunity.body.id, 'crm.sales.opportunity.won.v1'), 'the won event');
    const failed = await sales.as(admin).get(`/automation-rules/${rule.body.id}/runs`);
    expect(failed.body.items).toEqual([expect.objectContaining({ subjectId: opportunity.body.id, outcome: 'failed', error: expect.stringContaining('is not an active user'), created: {}, attempts: 1 })]);
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM orders WHERE opportunity_id = $1`, [opportunity.body.id])).toEqual([]);
    expect(await sales.dataSource.query(`SELECT id FROM messaging_dead_letter WHERE envelope->>'subject' = $1`, [opportunity.body.id])).toEqual([]);

    await sales.publishUser('created', { tenantId, userId: stranger.userId, roles: ['rep'] });
    await sales.publishEvent(
      OpportunityWonEvent,
      create(OpportunityWonSchema, { tenantId, opportunityId: opportunity.body.id, customerId, name: '试点项目', amountMicros: 8_000_000_000n, currency: 'CNY', ownerId: stranger.userId, version: 2n }),
      opportunity.body.id,
    );
    const retried = await sales.as(admin).get(`/automation-rules/${rule.body.id}/runs`);
    expect(retried.body.items).toEqual([expect.objectContaining({ outcome: 'created', error: null, attempts: 2, created: expect.objectContaining({ orderId: expect.any(String) }) })]);
    expect(await sales.queryAsTenant(tenantId, `SELECT status FROM orders WHERE opportunity_id = $1`, [opportunity.body.id])).toEqual([{ status: 'draft' }]);
  });

  it('sends malformed events to the dead letters', async () => {
    const tenantId = randomUUID();
    const eventId = randomUUID();
    await sales.publishEvent(OrderPlacedEvent, create(OrderPlacedSchema, { tenantId, orderId: 'SO-1', customerId: randomUUID(), currency: 'CNY' }), 'SO-1', eventId);
    const dead: Array<{ error: string }> = await sales.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE event_id = $1`, [eventId]);
    expect(dead).toEqual([{ error: expect.stringContaining('orderId "SO-1" is not a uuid') }]);
  });

  it('lead unassigned for N hours → one task for the team manager and one LeadEscalated; a second run adds nothing', async () => {
    const { tenantId, teamId, admin, manager, rep } = await tenant();
    const job = sales.running.app.get(LeadEscalationJob);
    const rule = await sales.as(manager).post('/automation-rules').send({ name: '线索4小时未分配升级', trigger: 'lead_unassigned', action: 'escalate_lead', conditions: { hours: 4 } });
    expect(rule.status).toBe(201);
    // A rule that cannot work (its target is no user) fails for the same leads without stopping the other.
    const broken = await sales.as(admin).post('/automation-rules').send({ name: '升级给离职同事', trigger: 'lead_unassigned', action: 'escalate_lead', conditions: { hours: 4 }, params: { targetUserId: randomUUID() } });
    expect(broken.status).toBe(201);

    const captured = await sales.as(rep).post('/leads').send({ channel: 'manual', contactName: '王经理', companyName: '无锡新材料有限公司', phone: '13900001111' });
    expect(captured.status).toBeLessThan(300);
    const orphan = await sales.as(rep).post('/leads').send({ channel: 'manual', contactName: '李总', companyName: '常州电子科技有限公司', phone: '13900002222' });
    const leadId: string = captured.body.id;
    await sales.queryAsTenant(tenantId, `UPDATE leads SET owner_id = NULL, team_id = $2 WHERE id = $1`, [leadId, teamId]);
    await sales.queryAsTenant(tenantId, `UPDATE leads SET owner_id = NULL, team_id = NULL WHERE id = $1`, [orphan.body.id]);

    const early = await job.trigger(new Date(Date.now() + 3 * HOUR));
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM activities WHERE origin = 'escalation'`)).toEqual([]);
    expect(early.escalated).toBe(0);

    const at = new Date(Date.now() + 5 * HOUR);
    await job.trigger(at);
    const tasks = await sales.queryAsTenant<{ owner_id: string; origin_key: string; lead_id: string; status: string }>(
      tenantId,
      `SELECT owner_id, origin_key, lead_id, status FROM activities WHERE origin = 'escalation' ORDER BY origin_key`,
    );
    expect(tasks).toHaveLength(2);
    expect(tasks).toEqual(
      expect.arrayContaining([
        { owner_id: manager.userId, origin_key: `escalation:${rule.body.id}:${leadId}`, lead_id: leadId, status: 'open' },
        // No team: the tenant's admin.
        { owner_id: admin.userId, origin_key: `escalation:${rule.body.id}:${orphan.body.id}`, lead_id: orphan.body.id, status: 'open' },
      ]),
    );
    const escalated = (await sales.outboxOf(leadId)).filter((event) => event.type === 'crm.sales.lead.escalated.v1');
    expect(escalated).toEqual([
      { type: 'crm.sales.lead.escalated.v1', data: expect.objectContaining({ tenantId, leadId, ruleId: rule.body.id, teamId, escalatedTo: [manager.userId], unassignedHours: 4, escalatedAt: at.toISOString() }) },
    ]);
    const brokenRuns = await sales.as(admin).get(`/automation-rules/${broken.body.id}/runs`);
    expect(brokenRuns.body.items).toHaveLength(2);
    expect(brokenRuns.body.items[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('is not an active user') });

    const second = await job.trigger(new Date(Date.now() + 6 * HOUR));
    expect(second.escalated).toBe(0);
    expect(await sales.queryAsTenant(tenantId, `SELECT id FROM activities WHERE origin = 'escalation'`)).toHaveLength(2);
    expect((await sales.outboxOf(leadId)).filter((event) => event.type === 'crm.sales.lead.escalated.v1')).toHaveLength(1);
    const runs = await sales.as(rep).get(`/automation-rules/${rule.body.id}/runs?limit=1&total=true`);
    expect(runs.body.total).toBe(2);
    expect(runs.body.items[0]).toMatchObject({ subjectKind: 'lead', outcome: 'created', eventId: null });
    expect(runs.body.nextCursor).toEqual(expect.any(String));
    expect((await sales.as(rep).get(`/automation-rules/${rule.body.id}/runs?limit=1&cursor=${runs.body.nextCursor}`)).body.items).toHaveLength(1);
    // Failed runs are retried on the next run (still failing here), counting attempts.
    expect((await sales.as(admin).get(`/automation-rules/${broken.body.id}/runs`)).body.items[0].attempts).toBe(2);
  });

  it('validates rules per trigger and action (400/422), checks versions, pages, and needs sales:configure to write', async () => {
    const { admin, manager, rep } = await tenant();
    const post = (body: Record<string, unknown>, who: Identity = admin) => sales.as(who).post('/automation-rules').send(body);

    expect((await post({ name: 'x', trigger: 'order_placed', action: 'draft_contract_with_invoice_request' }, rep)).status).toBe(403);
    expect((await sales.as(rep).get('/automation-rules')).status).toBe(200);

    const unknownTrigger = await post({ name: 'x', trigger: 'order_paid', action: 'draft_order' });
    expect(unknownTrigger.status).toBe(400);
    expect((await post({ trigger: 'order_placed', action: 'draft_contract_with_invoice_request' })).status).toBe(400);
    expect((await post({ name: 'x', trigger: 'order_placed', action: 'draft_contract_with_invoice_request', conditions: 'all' })).status).toBe(400);

    const mismatch = await post({ name: 'x', trigger: 'order_placed', action: 'draft_order' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toMatchObject({ code: 'trigger_action_mismatch', detail: expect.stringContaining('trigger order_placed runs action draft_contract_with_invoice_request, not draft_order') });

    const wrongConditions = await post({
      name: 'x',
      trigger: 'order_placed',
      action: 'draft_contract_with_invoice_request',
      conditions: { pipelineId: randomUUID(), minAmount: { amountMicros: '12.5', currency: 'CNY' }, channels: [] },
      params: { invoiceDueDays: 400, escalateTo: 'boss' },
    });
    expect(wrongConditions.status).toBe(422);
    expect(wrongConditions.body.code).toBe('invalid_automation_rule');
    expect(wrongConditions.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
      ['conditions.channels', 'conditions.minAmount', 'conditions.pipelineId', 'params.escalateTo', 'params.invoiceDueDays'].sort(),
    );
    expect(wrongConditions.body.errors.find((error: { field: string }) => error.field === 'conditions.pipelineId').message).toContain('not a condition of trigger order_placed');

    const noHours = await post({ name: 'x', trigger: 'lead_unassigned', action: 'escalate_lead', conditions: { channels: ['fax'] }, params: { targetUserId: 'boss' } });
    expect(noHours.status).toBe(422);
    expect(noHours.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['conditions.channels', 'conditions.hours', 'params.targetUserId']);

    const rules = [];
    for (const name of ['规则一', '规则二', '规则三']) {
      const created = await post({ name, trigger: 'opportunity_won', action: 'draft_order', conditions: { minAmount: { amountMicros: '100', currency: 'CNY' } } }, manager);
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      rules.push(created.body);
    }
    expect((await post({ name: '规则一', trigger: 'opportunity_won', action: 'draft_order' })).status).toBe(409);

    const first = await sales.as(rep).get('/automation-rules?limit=2&total=true');
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((rule: { name: string }) => rule.name)).toEqual(['规则三', '规则二']);
    const rest = await sales.as(rep).get(`/automation-rules?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((rule: { name: string }) => rule.name)).toEqual(['规则一']);
    expect(rest.body.nextCursor).toBeNull();

    const id = rules[0].id;
    expect((await sales.as(rep).patch(`/automation-rules/${id}`).send({ active: false })).status).toBe(403);
    expect((await sales.as(admin).patch(`/automation-rules/${id}`).set('If-Match', '"3"').send({ active: false })).status).toBe(412);
    const badPatch = await sales.as(admin).patch(`/automation-rules/${id}`).send({ trigger: 'lead_unassigned', version: 1 });
    expect(badPatch.status).toBe(422);
    expect(badPatch.body.code).toBe('trigger_action_mismatch');
    const patched = await sales.as(admin).patch(`/automation-rules/${id}`).send({ name: '大单赢单草稿', conditions: { minAmount: { amountMicros: '5000000000', currency: 'CNY' }, pipelineId: randomUUID() }, version: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '大单赢单草稿', version: 2, conditions: { minAmount: { amountMicros: '5000000000', currency: 'CNY' } } });
    expect((await sales.as(rep).get(`/automation-rules/${id}`)).body.version).toBe(2);
    expect((await sales.as(rep).delete(`/automation-rules/${id}`)).status).toBe(403);
    expect((await sales.as(admin).delete(`/automation-rules/${id}`).set('If-Match', '"1"')).status).toBe(412);
    expect((await sales.as(admin).delete(`/automation-rules/${id}`).set('If-Match', '"2"')).status).toBe(204);
    expect((await sales.as(admin).get(`/automation-rules/${id}`)).status).toBe(404);
    expect((await sales.as(admin).get(`/automation-rules/${id}/runs`)).status).toBe(404);
    expect((await sales.as(admin).get('/automation-rules/not-a-uuid')).status).toBe(404);
  });
});
