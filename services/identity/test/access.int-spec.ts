import { TenantTransactions } from '@crm/platform/database';
import { IdentityHarness, identityOf, type Identity } from './identity-harness';

jest.setTimeout(120_000);

const PASSWORD = 'Team-member-1';

interface Member {
  id: string;
  email: string;
  as: Identity;
}

/**
 * Two tenants. In A: an admin, a manager whose team has rep1, and rep2 outside any team. In B: an
 * admin and one rep. Callers are identified exactly as the gateway would identify their access tokens.
 */
describe('identity: scopes, tenants, teams, API keys and audit', () => {
  let identity: IdentityHarness;
  let tenantA: string;
  let adminA: Identity;
  let manager: Member;
  let rep1: Member;
  let rep2: Member;
  let teamId: string;
  let tenantB: string;
  let adminB: Identity;
  let repB: Member;

  async function createUser(admin: Identity, email: string, roles: string[]): Promise<string> {
    const response = await identity.as(admin).post('/users').send({ name: email.split('@')[0], email, roles, password: PASSWORD }).expect(201);
    return response.body.id;
  }

  async function signIn(id: string, email: string): Promise<Member> {
    return { id, email, as: identityOf((await identity.login(email, PASSWORD)).accessToken) };
  }

  beforeAll(async () => {
    identity = await IdentityHarness.start('identity_access');
    const a = await identity.signup('Tenant A', 'admin@a.test');
    tenantA = a.tenantId;
    adminA = identityOf(a.accessToken);
    const managerId = await createUser(adminA, 'manager@a.test', ['manager']);
    const rep1Id = await createUser(adminA, 'rep1@a.test', ['rep']);
    const rep2Id = await createUser(adminA, 'rep2@a.test', ['rep']);
    teamId = (await identity.as(adminA).post('/teams').send({ name: '华东一组', managerId, memberIds: [rep1Id] }).expect(201)).body.id;
    // Signed in after the team exists, so their tokens carry it.
    manager = await signIn(managerId, 'manager@a.test');
    rep1 = await signIn(rep1Id, 'rep1@a.test');
    rep2 = await signIn(rep2Id, 'rep2@a.test');

    const b = await identity.signup('Tenant B', 'admin@b.test');
    tenantB = b.tenantId;
    adminB = identityOf(b.accessToken);
    repB = await signIn(await createUser(adminB, 'searchable-rep@b.test', ['rep']), 'searchable-rep@b.test');
  });
  afterAll(() => identity?.stop());

  const listedIds = async (caller: Identity, query = ''): Promise<string[]> =>
    ((await identity.as(caller).get(`/users${query}`).expect(200)).body.items as Array<{ id: string }>).map((user) => user.id);

  describe('ownership scope', () => {
    it('shows a rep only themselves: another rep is not found', async () => {
      expect(manager.as.teamIds).toEqual([teamId]);
      expect(rep1.as.teamIds).toEqual([teamId]);
      await identity.as(rep1.as).get(`/users/${rep1.id}`).expect(200);
      const other = await identity.as(rep1.as).get(`/users/${rep2.id}`).expect(404);
      expect(other.body).toMatchObject({ code: 'user_not_found' });
      await identity.as(rep1.as).get(`/users/${manager.id}`).expect(404);
      expect(await listedIds(rep1.as)).toEqual([rep1.id]);
    });

    it("shows a manager their team's members, not other reps", async () => {
      const member = await identity.as(manager.as).get(`/users/${rep1.id}`).expect(200);
      expect(member.body).toMatchObject({ id: rep1.id, teamIds: [teamId], roles: ['rep'] });
      expect(member.headers.etag).toBe('"2"');
      await identity.as(manager.as).get(`/users/${rep2.id}`).expect(404);
      expect((await listedIds(manager.as)).sort()).toEqual([manager.id, rep1.id].sort());
    });

    it('shows an admin the whole tenant, with filters and a total', async () => {
      expect(await listedIds(adminA)).toHaveLength(4);
      expect(await listedIds(adminA, `?teamId=${teamId}`)).toEqual(expect.arrayContaining([manager.id, rep1.id]));
      expect(await listedIds(adminA, '?role=rep')).toEqual([rep1.id, rep2.id]);
      expect(await listedIds(adminA, '?q=REP2')).toEqual([rep2.id]);

      const first = await identity.as(adminA).get('/users?limit=3&total=true').expect(200);
      expect(first.body).toMatchObject({ total: 4, nextCursor: expect.any(String) });
      const second = await identity.as(adminA).get(`/users?limit=3&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toMatchObject({ items: [{ id: rep2.id }], nextCursor: null });
      await identity.as(adminA).get('/users?cursor=garbage').expect(400);
    });
  });

  describe('tenant isolation', () => {
    it("never shows tenant B's users to tenant A, by id, list or search", async () => {
      await identity.as(adminA).get(`/users/${repB.id}`).expect(404);
      await identity.as(adminA).patch(`/users/${repB.id}`).send({ name: 'taken over' }).expect(404);
      expect(await listedIds(adminA, '?q=searchable')).toEqual([]);
      expect(await listedIds(adminA)).not.toContain(repB.id);
      expect(await listedIds(adminB)).not.toContain(rep1.id);
      await identity.as(adminB).get(`/users?teamId=${teamId}`).expect(200, { items: [], nextCursor: null });
    });

    it('lets row-level security hide every row from a query that sets no tenant', async () => {
      // The service's own connection and role, as a repository with a forgotten filter would use it.
      expect(await identity.dataSource.query(`SELECT id FROM users`)).toEqual([]);
      expect(await identity.dataSource.query(`SELECT id FROM audit_log`)).toEqual([]);
      const inA = await identity.running.app.get(TenantTransactions).runForTenant(tenantA, (manager) => manager.query(`SELECT id FROM users`));
      expect(inA).toHaveLength(4);
      const inB = await identity.running.app.get(TenantTransactions).runForTenant(tenantB, (manager) => manager.query(`SELECT id FROM users`));
      expect(inB).toHaveLength(2);
    });
  });

  describe('changing users', () => {
    it('lets anyone change their own profile, but nothing more', async () => {
      const own = await identity
        .as(rep1.as)
        .patch(`/users/${rep1.id}`)
        .send({ name: '李雷', phone: '138 1234 5678', locale: 'en', timeZone: 'Europe/Berlin' })
        .expect(200);
      expect(own.body).toMatchObject({ name: '李雷', phone: '+8613812345678', locale: 'en', timeZone: 'Europe/Berlin', version: 3 });

      await identity.as(rep1.as).patch(`/users/${rep1.id}`).send({ roles: ['admin'] }).expect(403);
      await identity.as(rep1.as).patch(`/users/${rep1.id}`).send({ active: false }).expect(403);
      await identity.as(manager.as).patch(`/users/${rep1.id}`).send({ name: 'renamed by manager' }).expect(403);
      await identity.as(rep1.as).patch(`/users/${rep2.id}`).send({ name: 'renamed by a peer' }).expect(404);
      const invalid = await identity.as(rep1.as).patch(`/users/${rep1.id}`).send({ phone: '+86 123', timeZone: 'Mars/Olympus' }).expect(400);
      expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['phone', 'timeZone']);
    });

    it('lets an admin change roles, audited, and refuses a stale version with 412', async () => {
      const current = await identity.as(adminA).get(`/users/${rep2.id}`).expect(200);
      const etag = current.headers.etag;
      await identity.as(adminA).patch(`/users/${rep2.id}`).set('if-match', etag).send({ roles: ['rep', 'analyst'], seniority: 'senior' }).expect(200);
      const stale = await identity.as(adminA).patch(`/users/${rep2.id}`).set('if-match', etag).send({ seniority: 'lead' }).expect(412);
      expect(stale.body).toMatchObject({ code: 'version_mismatch' });

      const audit = await identity.as(adminA).get(`/audit-log?action=user.roles_changed`).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ actorId: adminA.userId, targetId: rep2.id, details: { from: ['rep'], to: ['rep', 'analyst'] } }),
      ]);
    });

    it('keeps the last active admin of a tenant', async () => {
      const response = await identity.as(adminB).patch(`/users/${adminB.userId}`).send({ roles: ['rep'] }).expect(409);
      expect(response.body).toMatchObject({ code: 'last_admin' });
    });

    it('deactivates a user: sessions and API keys stop working and identity.user.v1 says so', async () => {
      const email = 'leaver@a.test';
      const leaverId = await createUser(adminA, email, ['rep']);
      const tokens = await identity.login(email, PASSWORD);
      const key = (await identity.as(identityOf(tokens.accessToken)).post('/api-keys').send({ name: 'leaver key' }).expect(201)).body.key;
      await identity.as().post('/internal/api-keys/verify').send({ key }).expect(200);

      await identity.as(adminA).patch(`/users/${leaverId}`).send({ active: false }).expect(200);

      await identity.as().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      await identity.as().post('/internal/api-keys/verify').send({ key }).expect(401);
      const login = await identity.as().post('/auth/login').send({ email, password: PASSWORD }).expect(401);
      expect(login.body).toMatchObject({ code: 'account_inactive' });
      const events = await identity.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject = $1 ORDER BY id`, [leaverId]);
      expect(events.map((event: { type: string }) => event.type)).toEqual(['crm.identity.user.created.v1', 'crm.identity.user.deactivated.v1']);
      expect(JSON.parse(events[1].data)).toMatchObject({ tenantId: tenantA, userId: leaverId, email, roles: ['rep'], version: '2' });
      expect(JSON.parse(events[1].data).active).toBeUndefined(); // proto3 JSON leaves false out
    });
  });

  describe('teams', () => {
    it("lets a manager change their own team's members, and publishes the members' new teams", async () => {
      const updated = await identity.as(manager.as).patch(`/teams/${teamId}`).send({ memberIds: [rep1.id, rep2.id] }).expect(200);
      expect(updated.body).toMatchObject({ managerId: manager.id, version: 2 });
      expect(updated.body.memberIds.sort()).toEqual([manager.id, rep1.id, rep2.id].sort());

      // rep2's next token carries the team, so the manager now sees them.
      const rep2Again = identityOf((await identity.login('rep2@a.test', PASSWORD)).accessToken);
      expect(rep2Again.teamIds).toEqual([teamId]);
      const events = await identity.dataSource.query(`SELECT type, data FROM messaging_outbox WHERE subject IN ($1, $2) ORDER BY id`, [teamId, rep2.id]);
      expect(events.map((event: { type: string }) => event.type)).toEqual(
        expect.arrayContaining(['crm.identity.team.created.v1', 'crm.identity.team.updated.v1', 'crm.identity.user.updated.v1']),
      );
      expect(JSON.parse(events.at(-1).data)).toMatchObject({ teamId, managerId: manager.id });
    });

    it('refuses what a manager may not do, and hides teams they are not in', async () => {
      await identity.as(manager.as).patch(`/teams/${teamId}`).send({ managerId: rep1.id }).expect(403);
      await identity.as(rep1.as).patch(`/teams/${teamId}`).send({ name: 'hijacked' }).expect(403);
      const own = await identity.as(manager.as).post('/teams').send({ name: 'Manager-made' }).expect(201);
      expect(own.body).toMatchObject({ managerId: manager.id, memberIds: [manager.id] });
      await identity.as(manager.as).post('/teams').send({ name: 'For someone else', managerId: adminA.userId }).expect(403);
      const duplicate = await identity.as(adminA).post('/teams').send({ name: 'manager-MADE', managerId: manager.id }).expect(409);
      expect(duplicate.body).toMatchObject({ code: 'team_name_taken' });

      const repTeams = await identity.as(rep1.as).get('/teams').expect(200);
      expect(repTeams.body.items.map((team: { id: string }) => team.id)).toEqual([teamId]);
      await identity.as(adminB).patch(`/teams/${teamId}`).send({ name: 'cross-tenant' }).expect(404);
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, verifies it for the gateway, and stops it when revoked', async () => {
      const created = await identity.as(adminA).post('/api-keys').send({ name: 'ERP sync', roles: ['rep'] }).expect(201);
      const { id, key, prefix } = created.body;
      expect(key).toMatch(/^crm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(prefix)).toBe(true);

      const verified = await identity.as().post('/internal/api-keys/verify').send({ key }).expect(200);
      expect(verified.body).toEqual({ tenantId: tenantA, userId: adminA.userId, keyId: id, roles: ['rep'], teamIds: [] });
      const listed = await identity.as(adminA).get('/api-keys').expect(200);
      expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ prefix, lastUsedAt: expect.any(String) });
      expect(JSON.stringify(listed.body)).not.toContain(key);

      await identity.as(adminA).delete(`/api-keys/${id}`).expect(204);
      const refused = await identity.as().post('/internal/api-keys/verify').send({ key }).expect(401);
      expect(refused.body).toMatchObject({ code: 'invalid_api_key' });
      await identity.as().post('/internal/api-keys/verify').send({ key: `${key.slice(0, -1)}x` }).expect(401);

      const audit = await identity.as(adminA).get(`/audit-log?actorId=${adminA.userId}`).expect(200);
      expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']));
    });

    it("never grants a key more than its creator's roles, and shows keys only to their creator (and admins)", async () => {
      const refused = await identity.as(rep1.as).post('/api-keys').send({ name: 'escalation', roles: ['admin'] }).expect(403);
      expect(refused.body).toMatchObject({ code: 'roles_not_held' });
      const own = await identity.as(rep1.as).post('/api-keys').send({ name: 'mine' }).expect(201);
      expect(own.body.roles).toEqual(['rep']);

      await identity.as(rep2.as).delete(`/api-keys/${own.body.id}`).expect(404);
      const rep2Keys = await identity.as(rep2.as).get('/api-keys').expect(200);
      expect(rep2Keys.body.items).toEqual([]);
      const adminKeys = await identity.as(adminA).get('/api-keys').expect(200);
      expect(adminKeys.body.items.map((item: { id: string }) => item.id)).toContain(own.body.id);
      await identity.as(adminB).delete(`/api-keys/${own.body.id}`).expect(404);
    });
  });

  describe('audit log', () => {
    it('is for admins only, and shows only their tenant', async () => {
      await identity.as(rep1.as).get('/audit-log').expect(403);
      const b = await identity.as(adminB).get('/audit-log?limit=200').expect(200);
      expect(b.body.items.every((entry: { targetId: string }) => entry.targetId !== rep1.id)).toBe(true);
      const since = await identity.as(adminA).get(`/audit-log?action=team.created&from=${new Date(Date.now() - 60_000).toISOString()}`).expect(200);
      expect(since.body.items.length).toBeGreaterThanOrEqual(2);
    });
  });
});
