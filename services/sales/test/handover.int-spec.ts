import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: handover of a leaving user', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const teamId = randomUUID();
  const leaverId = randomUUID();
  const heirId = randomUUID();
  const eastId = randomUUID();
  const inactiveId = randomUUID();
  const managerId = randomUUID();
  const manager = caller(tenantId, ['manager'], [teamId], managerId);
  const admin = caller(tenantId, ['admin'], [], randomUUID());
  let eastCustomer: string;
  let northCustomer: string;

  const ownerOf = async (id: string): Promise<string> => (await sales.queryAsTenant<{ owner_id: string }>(tenantId, `SELECT owner_id FROM activities WHERE id = $1`, [id]))[0].owner_id;
  const addActivity = async (values: { kind: string; status: string; customerId?: string }): Promise<string> => {
    const id = randomUUID();
    await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, status, owner_id, customer_id) VALUES ($1, $2, $3, '跟进', $4, $5, $6)`, [
      id,
      tenantId,
      values.kind,
      values.status,
      leaverId,
      values.customerId ?? null,
    ]);
    return id;
  };

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_handover');
    for (const [userId, name] of [
      [leaverId, '离职销售'],
      [heirId, '接手销售'],
      [eastId, '华东销售'],
      [managerId, '经理'],
    ]) {
      await sales.publishUser('created', { tenantId, userId, name, roles: userId === managerId ? ['manager'] : ['rep'], teamIds: [teamId] });
    }
    await sales.publishUser('created', { tenantId, userId: inactiveId, name: '已停用', teamIds: [teamId], active: false });
    eastCustomer = await sales.publishCustomer({ tenantId, name: '上海东方制造有限公司', ownerId: leaverId, region: '华东', industry: '制造业' });
    northCustomer = await sales.publishCustomer({ tenantId, name: '北京北方贸易有限公司', ownerId: leaverId, region: '华北', industry: '贸易' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('refuses invalid targets and users outside the scope', async () => {
    const self = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ toUserId: leaverId });
    expect(self.status).toBe(422);
    const inactive = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ toUserId: inactiveId });
    expect(inactive.status).toBe(422);
    expect(inactive.body.code).toBe('invalid_handover_target');
    const unknownRuleUser = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ rules: [{ match: { region: '华东' }, toUserId: randomUUID() }] });
    expect(unknownRuleUser.status).toBe(422);
    const emptyMatch = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ toUserId: heirId, rules: [{ match: {}, toUserId: eastId }] });
    expect(emptyMatch.status).toBe(400);
    expect((await sales.as(manager).post(`/users/${randomUUID()}/handover`).send({ toUserId: heirId })).status).toBe(404);
    const otherManager = caller(tenantId, ['manager'], [randomUUID()], randomUUID());
    expect((await sales.as(otherManager).post(`/users/${leaverId}/handover`).send({ toUserId: heirId })).status).toBe(404);
    const rep = caller(tenantId, ['rep'], [teamId], heirId);
    expect((await sales.as(rep).post(`/users/${leaverId}/handover`).send({ toUserId: heirId })).status).toBe(403);
  });

  it('counts without moving in a dry run, then moves open tasks, leads, opportunities and contracts by rule and default and emits HandoverCompleted', async () => {
    const eastTask = await addActivity({ kind: 'task', status: 'open', customerId: eastCustomer });
    const northTask = await addActivity({ kind: 'task', status: 'open', customerId: northCustomer });
    const looseTask = await addActivity({ kind: 'task', status: 'open' });
    const doneTask = await addActivity({ kind: 'task', status: 'done' });
    const loggedCall = await addActivity({ kind: 'call', status: 'done', customerId: eastCustomer });
    // The other participants' open work: a lead about the east customer, an active contract with the north one, a converted lead that stays.
    const leadId = randomUUID();
    const convertedLeadId = randomUUID();
    for (const [id, status] of [
      [leadId, 'working'],
      [convertedLeadId, 'converted'],
    ]) {
      await sales.queryAsTenant(
        tenantId,
        `INSERT INTO leads (id, tenant_id, channel, status, contact_name, owner_id, customer_id, score, last_interaction_at, created_at, updated_at)
         VALUES ($1, $2, 'manual', $3, '王先生', $4, $5, 40, now(), now(), now())`,
        [id, tenantId, status, leaverId, eastCustomer],
      );
    }
    const contractId = randomUUID();
    await sales.queryAsTenant(
      tenantId,
      `INSERT INTO contracts (id, tenant_id, contract_number, title, customer_id, owner_id, amount_micros, currency, start_date, status)
       VALUES ($1, $2, 'HT-2026-000001', '年度服务合同', $3, $4, 100000000, 'CNY', '2026-01-01', 'active')`,
      [contractId, tenantId, northCustomer, leaverId],
    );
    const pipelineId = randomUUID();
    await sales.queryAsTenant(tenantId, `INSERT INTO pipelines (id, tenant_id, name) VALUES ($1, $2, '流程')`, [pipelineId, tenantId]);
    const opportunityId = randomUUID();
    const wonOpportunityId = randomUUID();
    for (const [id, status] of [
      [opportunityId, 'open'],
      [wonOpportunityId, 'won'],
    ]) {
      await sales.queryAsTenant(
        tenantId,
        `INSERT INTO opportunities (id, tenant_id, name, customer_id, owner_id, pipeline_id, stage, status, currency, stage_entered_at, last_touched_at, opened_at)
         VALUES ($1, $2, '华东项目', $3, $4, $5, 'initial_contact', $6, 'CNY', now(), now(), now())`,
        [id, tenantId, eastCustomer, leaverId, pipelineId, status],
      );
    }
    const ownerIn = async (table: string, id: string): Promise<string> => (await sales.queryAsTenant<{ owner_id: string }>(tenantId, `SELECT owner_id FROM ${table} WHERE id = $1`, [id]))[0].owner_id;
    const body = { toUserId: heirId, rules: [{ match: { region: '华东' }, toUserId: eastId }] };

    const dry = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ ...body, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ id: null, dryRun: true, fromUserId: leaverId, toUserId: heirId, customers: { owned: 2, assignedByRules: 1 } });
    expect(dry.body.moved).toEqual(expect.arrayContaining([
      { kind: 'tasks', count: 3 },
      { kind: 'leads', count: 1 },
      { kind: 'contracts', count: 1 },
      { kind: 'opportunities', count: 1 },
    ]));
    expect(await ownerOf(eastTask)).toBe(leaverId);
    expect(await ownerIn('leads', leadId)).toBe(leaverId);
    expect(await ownerIn('contracts', contractId)).toBe(leaverId);
    expect(await sales.queryAsTenant(tenantId, `SELECT 1 FROM handovers`)).toHaveLength(0);

    const res = await sales.as(manager).post(`/users/${leaverId}/handover`).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, fromUserId: leaverId, toUserId: heirId, handedOverBy: managerId, customers: { owned: 2, assignedByRules: 1 } });
    expect(res.body.moved).toEqual(dry.body.moved);
    expect(await ownerOf(eastTask)).toBe(eastId);
    expect(await ownerIn('leads', leadId)).toBe(eastId);
    expect(await ownerIn('leads', convertedLeadId)).toBe(leaverId);
    expect(await ownerIn('contracts', contractId)).toBe(heirId);
    expect(await ownerIn('opportunities', opportunityId)).toBe(eastId);
    expect(await ownerIn('opportunities', wonOpportunityId)).toBe(leaverId);
    expect(await ownerOf(northTask)).toBe(heirId);
    expect(await ownerOf(looseTask)).toBe(heirId);
    expect(await ownerOf(doneTask)).toBe(leaverId);
    expect(await ownerOf(loggedCall)).toBe(leaverId);

    const events = await sales.outboxOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('crm.sales.handover.completed.v1');
    expect(events[0].data).toMatchObject({
      tenantId,
      handoverId: res.body.id,
      fromUserId: leaverId,
      toUserId: heirId,
      customerAssignments: [{ customerId: eastCustomer, toUserId: eastId }],
      handedOverBy: managerId,
      handedOverAt: res.body.handedOverAt,
    });

    const fetched = await sales.as(manager).get(`/handovers/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);
    const list = await sales.as(admin).get(`/handovers?fromUserId=${leaverId}&total=true`);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(res.body.id);

    // Nothing is left: a second handover moves nothing.
    const second = await sales.as(manager).post(`/users/${leaverId}/handover`).send({ toUserId: heirId });
    expect(second.body.moved.every((entry: { count: number }) => entry.count === 0)).toBe(true);
  });

  it('to the shared pool leaves the tasks no rule covers with the user and emits an empty toUserId', async () => {
    const leaver2 = randomUUID();
    await sales.publishUser('created', { tenantId, userId: leaver2, name: '又一位', teamIds: [teamId] });
    const customer = await sales.publishCustomer({ tenantId, name: '杭州西湖软件有限公司', ownerId: leaver2, region: '华东' });
    const covered = randomUUID();
    const uncovered = randomUUID();
    for (const [id, customerId] of [
      [covered, customer],
      [uncovered, null],
    ]) {
      await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, status, owner_id, customer_id) VALUES ($1, $2, 'task', '任务', 'open', $3, $4)`, [
        id,
        tenantId,
        leaver2,
        customerId,
      ]);
    }
    const res = await sales.as(admin).post(`/users/${leaver2}/handover`).send({ rules: [{ match: { customerIds: [customer] }, toUserId: eastId }] });
    expect(res.status).toBe(200);
    expect(res.body.moved).toContainEqual({ kind: 'tasks', count: 1 });
    const events = await sales.outboxOf(res.body.id);
    expect(events[0].data.toUserId ?? '').toBe('');
    expect(events[0].data.customerAssignments).toEqual([{ customerId: customer, toUserId: eastId }]);
    const owners = await sales.queryAsTenant<{ id: string; owner_id: string }>(tenantId, `SELECT id, owner_id FROM activities WHERE id = ANY($1::uuid[])`, [[covered, uncovered]]);
    expect(Object.fromEntries(owners.map((row) => [row.id, row.owner_id]))).toEqual({ [covered]: eastId, [uncovered]: leaver2 });
  });
});
