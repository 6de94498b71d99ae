import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { HandoverCompletedEvent, HandoverCompletedSchema } from '@crm/contracts';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

interface HandoverFixture {
  fromUserId: string;
  toUserId?: string;
  customerAssignments?: Array<{ customerId: string; toUserId: string }>;
  handedOverBy?: string;
}

/**
 * A leaving user's customers: sales' HandoverCompleted re-assigns them, identity's UserDeactivated puts
 * them in the shared pool, a later handover takes them out of it; one OwnerChanged per customer.
 */
describe('customers: handover and deactivation', () => {
  let customers: CustomersHarness;
  const tenantId = randomUUID();
  let admin: Identity;

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_handover');
    admin = caller(tenantId, ['admin']);
  });
  afterAll(() => customers?.stop());

  /** A rep the users read model knows. */
  const user = async (): Promise<string> => {
    const userId = randomUUID();
    await customers.publishUser('created', { tenantId, userId, roles: ['rep'] });
    return userId;
  };
  const customerOf = async (ownerId: string, name = '客户'): Promise<string> =>
    (await customers.as(admin).post('/customers').send({ type: 'company', name, ownerId }).expect(201)).body.id;
  const handover = (fixture: HandoverFixture, eventId?: string) => {
    const handoverId = randomUUID();
    const message = create(HandoverCompletedSchema, {
      tenantId,
      handoverId,
      fromUserId: fixture.fromUserId,
      toUserId: fixture.toUserId ?? '',
      customerAssignments: fixture.customerAssignments ?? [],
      handedOverBy: fixture.handedOverBy ?? admin.userId,
      handedOverAt: new Date().toISOString(),
    });
    return customers.publishEvent(HandoverCompletedEvent, message, handoverId, eventId);
  };
  /** A HandoverCompleted as a broken producer might send it: any payload, any envelope tenant. */
  const publishRaw = (id: string, data: Record<string, unknown>, envelopeTenant = tenantId) =>
    customers.transport.publish([
      {
        id,
        type: HandoverCompletedEvent.type,
        source: 'crm/sales',
        time: new Date().toISOString(),
        subject: randomUUID(),
        tenantId: envelopeTenant,
        topic: HandoverCompletedEvent.topic,
        data: JSON.stringify(data),
      },
    ]);
  const owners = async (ids: string[]): Promise<Record<string, { owner: string | null; pooledFrom: string | null; version: number }>> => {
    const rows: Array<{ id: string; owner_id: string | null; pooled_from_user_id: string | null; version: number }> = await customers.queryAsTenant(
      tenantId,
      `SELECT id, owner_id, pooled_from_user_id, version FROM customers WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return Object.fromEntries(rows.map((row) => [row.id, { owner: row.owner_id, pooledFrom: row.pooled_from_user_id, version: row.version }]));
  };
  const ownerEvents = async (id: string) => (await customers.outboxOf(id)).filter((event) => event.type === 'crm.customers.customer.owner_changed.v1').map((event) => event.data);

  it('re-assigns every live customer of the user: named ones to their new owner, the rest to toUserId, with one OwnerChanged each', async () => {
    const [leaver, heir, colleague] = [await user(), await user(), await user()];
    const [c1, c2, c3] = [await customerOf(leaver), await customerOf(leaver), await customerOf(leaver)];
    const notTheirs = await customerOf(colleague);
    const deleted = await customerOf(leaver);
    await customers.as(admin).delete(`/customers/${deleted}`).expect(204);

    const eventId = randomUUID();
    await handover(
      {
        fromUserId: leaver,
        toUserId: heir,
        customerAssignments: [
          { customerId: c2, toUserId: colleague },
          { customerId: notTheirs, toUserId: heir },
        ],
      },
      eventId,
    );
    expect(await owners([c1, c2, c3, notTheirs, deleted])).toEqual({
      [c1]: { owner: heir, pooledFrom: null, version: 2 },
      [c2]: { owner: colleague, pooledFrom: null, version: 2 },
      [c3]: { owner: heir, pooledFrom: null, version: 2 },
      [notTheirs]: { owner: colleague, pooledFrom: null, version: 1 },
      [deleted]: { owner: leaver, pooledFrom: null, version: 1 },
    });
    expect(await ownerEvents(c1)).toEqual([{ tenantId, customerId: c1, previousOwnerId: leaver, ownerId: heir, changedBy: admin.userId, version: '2' }]);
    expect(await ownerEvents(c2)).toEqual([expect.objectContaining({ ownerId: colleague, changedBy: admin.userId })]);
    expect(await ownerEvents(notTheirs)).toEqual([]);
    const { body } = await customers.as(caller(tenantId, ['rep'], [], heir)).get('/customers').expect(200);
    expect((body.items as Array<{ id: string }>).map((item) => item.id).sort()).toEqual([c1, c3].sort());

    // Redelivery changes nothing and emits nothing.
    await handover({ fromUserId: leaver, toUserId: heir }, eventId);
    expect((await owners([c1]))[c1].version).toBe(2);
    expect(await ownerEvents(c1)).toHaveLength(1);
  });

  it('gives customers to nobody (the shared pool) when toUserId is empty or the new owner is deactivated', async () => {
    const [leaver, gone] = [await user(), await user()];
    await customers.publishUser('deactivated', { tenantId, userId: gone, version: 2 });
    const [pooled, toGone] = [await customerOf(leaver), await customerOf(leaver)];
    await handover({ fromUserId: leaver, customerAssignments: [{ customerId: toGone, toUserId: gone }] });
    expect(await owners([pooled, toGone])).toEqual({
      [pooled]: { owner: null, pooledFrom: leaver, version: 2 },
      [toGone]: { owner: null, pooledFrom: leaver, version: 2 },
    });
    // Proto3 JSON leaves empty strings out: no ownerId is nobody.
    expect(await ownerEvents(pooled)).toEqual([{ tenantId, customerId: pooled, previousOwnerId: leaver, changedBy: admin.userId, version: '2' }]);
  });

  it('pools the customers of a deactivated user, and a later handover of that user takes them out of the pool', async () => {
    const [leaver, heir] = [await user(), await user()];
    const [d1, d2, d3] = [await customerOf(leaver), await customerOf(leaver), await customerOf(leaver)];
    const deactivation = randomUUID();
    await customers.publishUser('deactivated', { tenantId, userId: leaver, version: 2 }, deactivation);
    expect(await owners([d1, d2])).toEqual({
      [d1]: { owner: null, pooledFrom: leaver, version: 2 },
      [d2]: { owner: null, pooledFrom: leaver, version: 2 },
    });
    expect(await ownerEvents(d1)).toEqual([{ tenantId, customerId: d1, previousOwnerId: leaver, version: '2' }]);
    const [row] = await customers.queryAsTenant<{ active: boolean }>(tenantId, `SELECT active FROM users WHERE id = $1`, [leaver]);
    expect(row.active).toBe(false);
    const poolList = await customers.as(admin).get(`/customers?limit=200`).expect(200);
    expect((poolList.body.items as Array<{ id: string; ownerId: string | null }>).filter((item) => [d1, d2].includes(item.id)).every((item) => item.ownerId === null)).toBe(true);

    // Redelivered, or delivered again under another id: nothing more to pool.
    await customers.publishUser('deactivated', { tenantId, userId: leaver, version: 2 }, deactivation);
    await customers.publishUser('deactivated', { tenantId, userId: leaver, version: 2 });
    expect(await ownerEvents(d1)).toHaveLength(1);

    // An admin takes one out of the pool meanwhile (it is no longer pooled from the leaver) and a second
    // one out and back in: the handover leaves both where they are.
    await customers.as(admin).patch(`/customers/${d2}`).send({ ownerId: admin.userId }).expect(200);
    await customers.as(admin).patch(`/customers/${d3}`).send({ ownerId: admin.userId }).expect(200);
    await customers.as(admin).patch(`/customers/${d3}`).send({ ownerId: null }).expect(200);
    await handover({ fromUserId: leaver, toUserId: heir });
    expect(await owners([d1, d2, d3])).toEqual({
      [d1]: { owner: heir, pooledFrom: null, version: 3 },
      [d2]: { owner: admin.userId, pooledFrom: null, version: 3 },
      [d3]: { owner: null, pooledFrom: null, version: 4 },
    });
    expect((await ownerEvents(d1)).at(-1)).toEqual({ tenantId, customerId: d1, ownerId: heir, changedBy: admin.userId, version: '3' });
  });

  it('ignores a deactivation older than a reactivation', async () => {
    const returning = await user();
    const kept = await customerOf(returning);
    await customers.publishUser('updated', { tenantId, userId: returning, version: 3 });
    await customers.publishUser('deactivated', { tenantId, userId: returning, version: 2 });
    expect((await owners([kept]))[kept]).toEqual({ owner: returning, pooledFrom: null, version: 1 });
  });

  it('re-assigns an owner of thousands of customers in batches, with one event per customer', async () => {
    const [big, heir] = [await user(), await user()];
    const count = 2_500;
    // Same creation time for all: the batches' keyset must page through ties by id.
    await customers.queryAsTenant(
      tenantId,
      `INSERT INTO customers (id, tenant_id, type, name, owner_id) SELECT gen_random_uuid(), $1, 'company', '批量客户' || n, $2 FROM generate_series(1, $3) n`,
      [tenantId, big, count],
    );
    const started = Date.now();
    await handover({ fromUserId: big, toUserId: heir });
    const elapsed = Date.now() - started;
    const [moved] = await customers.queryAsTenant<{ heir: string; big: string; versions: string }>(
      tenantId,
      `SELECT count(*) FILTER (WHERE owner_id = $1) AS heir, count(*) FILTER (WHERE owner_id = $2) AS big, count(DISTINCT version) AS versions
         FROM customers WHERE name LIKE '批量客户%'`,
      [heir, big],
    );
    expect(moved).toEqual({ heir: String(count), big: '0', versions: '1' });
    const [events] = await customers.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT subject)::int AS subjects FROM messaging_outbox
        WHERE type = 'crm.customers.customer.owner_changed.v1' AND data::jsonb->>'previousOwnerId' = $1`,
      [big],
    );
    expect(events).toEqual({ n: count, subjects: count });
    expect(elapsed).toBeLessThan(60_000);
  });

  it('dead-letters a malformed handover and goes on with the next one', async () => {
    const [leaver, heir] = [await user(), await user()];
    const customer = await customerOf(leaver);
    const [bad, smuggled] = [randomUUID(), randomUUID()];
    await publishRaw(bad, { tenantId, handoverId: randomUUID(), fromUserId: 'somebody', toUserId: heir });
    await publishRaw(smuggled, { tenantId, handoverId: randomUUID(), fromUserId: leaver, toUserId: heir }, randomUUID());
    const dead: Array<{ event_id: string; error: string }> = await customers.dataSource.query(
      `SELECT event_id, error FROM messaging_dead_letter WHERE topic = $1 ORDER BY id`,
      [HandoverCompletedEvent.topic],
    );
    expect(dead).toEqual([
      { event_id: bad, error: expect.stringContaining('fromUserId') },
      { event_id: smuggled, error: expect.stringContaining('arrived as tenant') },
    ]);
    expect((await owners([customer]))[customer].owner).toBe(leaver);
    await handover({ fromUserId: leaver, toUserId: heir });
    expect((await owners([customer]))[customer].owner).toBe(heir);
  });
});
