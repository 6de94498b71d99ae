import { randomUUID } from 'node:crypto';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

/**
 * Two tenants. In A: an admin, a manager whose team has rep1, and rep2 outside the team; the users read
 * model learns them from identity.user.v1 events on the transport. In B: an admin.
 */
describe('customers: scopes, tenants and the users read model', () => {
  let customers: CustomersHarness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const teamId = randomUUID();
  let adminA: Identity;
  let manager: Identity;
  let rep1: Identity;
  let rep2: Identity;
  let adminB: Identity;
  const customerOf: Record<string, string> = {};

  const create = async (as: Identity, name: string, phones: string[] = []): Promise<string> =>
    (await customers.as(as).post('/customers').send({ type: 'person', name, phones }).expect(201)).body.id;
  const listed = async (as: Identity, query = ''): Promise<string[]> =>
    ((await customers.as(as).get(`/customers${query}`).expect(200)).body.items as Array<{ id: string }>).map((item) => item.id).sort();

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_access');
    adminA = caller(tenantA, ['admin']);
    manager = caller(tenantA, ['manager'], [teamId]);
    rep1 = caller(tenantA, ['rep'], [teamId]);
    rep2 = caller(tenantA, ['rep']);
    adminB = caller(tenantB, ['admin']);
    for (const [user, roles] of [
      [manager, ['manager']],
      [rep1, ['rep']],
      [rep2, ['rep']],
    ] as const) {
      await customers.publishUser('created', { tenantId: tenantA, userId: user.userId, roles: [...roles], teamIds: [...user.teamIds] });
    }
    customerOf.rep1 = await create(rep1, '周杰客户', ['13500000001']);
    customerOf.rep2 = await create(rep2, '吴亦客户', ['13500000002']);
    customerOf.manager = await create(manager, '郑州客户', ['13500000003']);
    customerOf.adminB = await create(adminB, '周杰客户', ['13500000001']);
  });
  afterAll(() => customers?.stop());

  describe('ownership scope', () => {
    it('shows a rep only their own customers: others are not found', async () => {
      expect(await listed(rep1)).toEqual([customerOf.rep1]);
      await customers.as(rep1).get(`/customers/${customerOf.rep1}`).expect(200);
      const other = await customers.as(rep1).get(`/customers/${customerOf.rep2}`).expect(404);
      expect(other.body).toMatchObject({ code: 'customer_not_found' });
      await customers.as(rep1).patch(`/customers/${customerOf.rep2}`).send({ region: '华北' }).expect(404);
      await customers.as(rep1).post(`/customers/${customerOf.manager}/tags`).send({ add: ['x'] }).expect(404);
      expect(await listed(rep1, '?q=0000')).toEqual([customerOf.rep1]);
    });

    it("shows a manager their own and their team members' customers", async () => {
      expect(await listed(manager)).toEqual([customerOf.rep1, customerOf.manager].sort());
      await customers.as(manager).get(`/customers/${customerOf.rep1}`).expect(200);
      await customers.as(manager).get(`/customers/${customerOf.rep2}`).expect(404);
    });

    it('lets a manager give customers to team members only', async () => {
      await customers.as(manager).patch(`/customers/${customerOf.manager}`).send({ ownerId: rep2.userId }).expect(400);
      const moved = await customers.as(manager).patch(`/customers/${customerOf.manager}`).send({ ownerId: rep1.userId }).expect(200);
      expect(moved.body.ownerId).toBe(rep1.userId);
      expect(await listed(rep1)).toEqual([customerOf.rep1, customerOf.manager].sort());
    });

    it('follows team changes from identity: a member who leaves the team leaves the scope', async () => {
      await customers.publishUser('updated', { tenantId: tenantA, userId: rep2.userId, teamIds: [teamId], version: 2 });
      expect(await listed(manager)).toContain(customerOf.rep2);
      // A late, older snapshot changes nothing.
      await customers.publishUser('created', { tenantId: tenantA, userId: rep2.userId, teamIds: [], version: 1 });
      expect(await listed(manager)).toContain(customerOf.rep2);
      await customers.publishUser('updated', { tenantId: tenantA, userId: rep2.userId, teamIds: [], version: 3 });
      expect(await listed(manager)).not.toContain(customerOf.rep2);
    });

    it('shows an admin the whole tenant', async () => {
      expect(await listed(adminA)).toEqual([customerOf.rep1, customerOf.rep2, customerOf.manager].sort());
    });

    it('needs the permissions: an analyst reads (own scope) but may not write', async () => {
      const analyst = caller(tenantA, ['analyst']);
      expect(await listed(analyst)).toEqual([]);
      await customers.as(analyst).post('/customers').send({ type: 'person', name: 'x' }).expect(403);
      await customers.as({ tenantId: tenantA, roles: [], teamIds: [] }).get('/customers').expect(401);
      await customers.as().get('/customers').expect(401);
    });
  });

  describe('tenant isolation', () => {
    it("never shows tenant B's customers to tenant A, by id, list or search", async () => {
      await customers.as(adminA).get(`/customers/${customerOf.adminB}`).expect(404);
      await customers.as(adminA).patch(`/customers/${customerOf.adminB}`).send({ name: 'taken over' }).expect(404);
      await customers.as(adminA).delete(`/customers/${customerOf.adminB}`).expect(404);
      expect(await listed(adminA, `?q=${encodeURIComponent('周杰')}`)).toEqual([customerOf.rep1]);
      expect(await listed(adminA, '?q=13500000001')).toEqual([customerOf.rep1]);
      expect(await listed(adminB)).toEqual([customerOf.adminB]);
      await customers.as(adminB).get(`/customers/${customerOf.rep1}`).expect(404);
    });

    it('keeps custom fields and batch keys per tenant', async () => {
      await customers.as(adminA).post('/custom-fields').send({ key: 'level', label: 'Level', type: 'text' }).expect(201);
      await customers.as(adminB).post('/custom-fields').send({ key: 'level', label: 'Level', type: 'number' }).expect(201);
      expect((await customers.as(adminB).get('/custom-fields').expect(200)).body.items).toEqual([expect.objectContaining({ key: 'level', type: 'number' })]);
      const a = await customers.as(adminA).post('/customers/batch').send({ items: [{ externalId: 'SAME', type: 'person', name: 'A 的' }] }).expect(200);
      const b = await customers.as(adminB).post('/customers/batch').send({ items: [{ externalId: 'SAME', type: 'person', name: 'B 的' }] }).expect(200);
      expect(a.body.items[0].status).toBe('created');
      expect(b.body.items[0].status).toBe('created');
      expect(b.body.items[0].id).not.toBe(a.body.items[0].id);
    });

    it('lets row-level security hide every row from a query that sets no tenant', async () => {
      for (const table of ['customers', 'users', 'user_team_members', 'custom_field_definitions', 'pii_access_log']) {
        expect(await customers.dataSource.query(`SELECT * FROM ${table}`)).toEqual([]);
      }
      const inA = await customers.queryAsTenant(tenantA, `SELECT id FROM customers`);
      expect(inA).toHaveLength(4);
      const inB = await customers.queryAsTenant(tenantB, `SELECT id FROM customers`);
      expect(inB).toHaveLength(2);
      const usersInB = await customers.queryAsTenant(tenantB, `SELECT id FROM users`);
      expect(usersInB).toEqual([]);
    });

    it('returns only the tenant\'s customers from a search even if customer_search (no row-level security) were queried unfiltered', async () => {
      // The index table itself holds both tenants' 周杰客户 ...
      const [{ count }] = await customers.dataSource.query(`SELECT count(*)::int AS count FROM customer_search WHERE name_search LIKE '%周杰%'`);
      expect(count).toBe(2);
      // ... but it only ever selects ids inside a query of customers, whose policy keeps the other tenant out.
      const rows = await customers.queryAsTenant<{ id: string }>(tenantA, `SELECT c.id FROM customers c WHERE c.id IN (SELECT s.customer_id FROM customer_search s WHERE s.name_search LIKE '%周杰%')`);
      expect(rows.map((row) => row.id)).toEqual([customerOf.rep1]);
    });
  });

  describe('users read model', () => {
    it('applies each event once and only newer versions', async () => {
      const userId = randomUUID();
      const eventId = randomUUID();
      await customers.publishUser('created', { tenantId: tenantA, userId, name: '新人', version: 1 }, eventId);
      await customers.publishUser('updated', { tenantId: tenantA, userId, name: '改名', version: 2 });
      // Redelivery of the first event is a no-op (inbox), and so is an old snapshot with a new id.
      await customers.publishUser('created', { tenantId: tenantA, userId, name: '新人', version: 1 }, eventId);
      await customers.publishUser('created', { tenantId: tenantA, userId, name: '旧名', version: 1 });
      const [row] = await customers.queryAsTenant<{ name: string; version: string; active: boolean }>(tenantA, `SELECT name, version, active FROM users WHERE id = $1`, [userId]);
      expect(row).toEqual({ name: '改名', version: '2', active: true });

      await customers.publishUser('deactivated', { tenantId: tenantA, userId, version: 3 });
      const [after] = await customers.queryAsTenant<{ active: boolean }>(tenantA, `SELECT active FROM users WHERE id = $1`, [userId]);
      expect(after.active).toBe(false);
      const refused = await customers.as(adminA).post('/customers').send({ type: 'person', name: 'x', ownerId: userId }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'ownerId', code: 'owner_inactive' })]);
    });

    it('dead-letters an event whose payload names another tenant than its envelope', async () => {
      const userId = randomUUID();
      const envelopeTenant = tenantB;
      await customers.transport.publish([
        {
          id: randomUUID(),
          type: 'crm.identity.user.created.v1',
          source: 'crm/identity',
          time: new Date().toISOString(),
          subject: userId,
          tenantId: envelopeTenant,
          topic: 'identity.user.v1',
          data: JSON.stringify({ tenantId: tenantA, userId, name: 'smuggled', version: '1' }),
        },
      ]);
      const dead = await customers.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE envelope->>'subject' = $1`, [userId]);
      expect(dead).toEqual([expect.objectContaining({ error: expect.stringContaining('arrived as tenant') })]);
      expect(await customers.queryAsTenant(tenantA, `SELECT id FROM users WHERE id = $1`, [userId])).toEqual([]);
    });
  });
});
