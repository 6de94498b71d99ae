import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

// Real PostgreSQL on a shared 2-core host: starting the service and building the fixture can take a while.
jest.setTimeout(120_000);

describe('sales: handing over open opportunities', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const leaving = caller(tenantId, ['rep']);
  const successor = caller(tenantId, ['rep']);
  const keyAccountRep = caller(tenantId, ['rep']);

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_opportunities_handover');
    for (const user of [admin, leaving, successor, keyAccountRep]) await sales.publishUser('created', { tenantId, userId: user.userId, roles: [...user.roles] });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it("moves the leaving rep's open opportunities (rules per customer first), keeps closed ones, and counts them in dry runs", async () => {
    const customerId = await sales.publishCustomer({ tenantId, name: '南京紫金医疗器械有限公司', ownerId: leaving.userId });
    const keyCustomerId = await sales.publishCustomer({ tenantId, name: '苏州工业园区大客户', ownerId: leaving.userId });
    const open = async (customer: string, stage?: string) => {
      const created = await sales.as(leaving).post('/opportunities').send({ name: '交接商机', customerId: customer });
      expect(created.status).toBe(201);
      if (stage) expect((await sales.as(leaving).post(`/opportunities/${created.body.id}/stage`).send({ stage })).status).toBe(200);
      return created.body.id as string;
    };
    const plain = await open(customerId, 'proposal');
    const key = await open(keyCustomerId);
    const won = await open(customerId, 'won');

    const body = { toUserId: successor.userId, rules: [{ match: { customerIds: [keyCustomerId] }, toUserId: keyAccountRep.userId }] };
    const dryRun = await sales.as(admin).post(`/users/${leaving.userId}/handover`).send({ ...body, dryRun: true });
    expect(dryRun.status).toBeLessThan(300);
    expect(dryRun.body.moved).toContainEqual({ kind: 'opportunities', count: 2 });
    expect((await sales.as(admin).get(`/opportunities/${plain}`)).body.ownerId).toBe(leaving.userId);

    const handover = await sales.as(admin).post(`/users/${leaving.userId}/handover`).send(body);
    expect(handover.status).toBeLessThan(300);
    expect(handover.body.moved).toContainEqual({ kind: 'opportunities', count: 2 });
    const ownerOf = async (id: string) => (await sales.as(admin).get(`/opportunities/${id}`)).body as { ownerId: string; version: number };
    expect(await ownerOf(plain)).toMatchObject({ ownerId: successor.userId, version: 3 });
    expect((await ownerOf(key)).ownerId).toBe(keyAccountRep.userId);
    expect((await ownerOf(won)).ownerId).toBe(leaving.userId);
    expect((await sales.as(successor).get(`/opportunities/${plain}`)).status).toBe(200);
    expect((await sales.as(leaving).get(`/opportunities/${plain}`)).status).toBe(404);
    const ownerEvents = (await sales.outboxOf(plain)).filter((event) => event.type === 'crm.sales.opportunity.owner_changed.v1');
    expect(ownerEvents).toEqual([
      {
        type: 'crm.sales.opportunity.owner_changed.v1',
        data: expect.objectContaining({ opportunityId: plain, previousOwnerId: leaving.userId, ownerId: successor.userId, changedBy: admin.userId, handoverId: handover.body.id, version: '3' }),
      },
    ]);
    expect((await sales.outboxOf(won)).some((event) => event.type === 'crm.sales.opportunity.owner_changed.v1')).toBe(false);
  });
});
