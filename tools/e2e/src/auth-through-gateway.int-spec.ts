import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { CrmUnderTest, PASSWORD } from './crm-under-test';

/**
 * Issue acceptance for identity, tenancy and access control, checked the way clients see it: every
 * request goes through the gateway to the real identity service.
 */
describe('identity and access through the gateway', () => {
  let crm: CrmUnderTest;

  beforeAll(async () => {
    crm = await CrmUnderTest.start('e2e_auth', {
      identity: { LOGIN_MAX_FAILURES: '3' },
      // Every test logs in from 127.0.0.1; the per-IP limit on auth routes has its own test below.
      gateway: { GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN: '10000', GATEWAY_API_KEY_CACHE_MS: '1000' },
    });
  });

  afterAll(async () => {
    await crm?.stop();
  });

  const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

  it('signs up, logs in, refreshes and answers /me', async () => {
    const email = unique('founder');
    const signup = await crm.signup('上海示例科技有限公司', email);

    const login = await crm.call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const refreshed = await crm.call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);

    const me = await crm.call('GET', '/me', { token: refreshed.body.accessToken });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain(signup.userId);
    expect(JSON.stringify(me.body)).toContain('上海示例科技有限公司');

    // The rotated-away refresh token is now a stolen one: it fails and ends the session family.
    expect((await crm.call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status).toBe(401);
    expect((await crm.call('POST', '/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
  });

  it('locks an account after repeated wrong passwords, even for the right one', async () => {
    const email = unique('locked');
    await crm.signup('Lock Ltd', email);
    const attempts = [];
    for (let attempt = 0; attempt < 3; attempt++) attempts.push(await crm.call('POST', '/auth/login', { body: { email, password: 'Wrong-password-1' } }));
    expect(attempts.map((response) => response.status)).toEqual([401, 401, 429]);

    const right = await crm.call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('login_locked');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(right.headers.get('content-type')).toContain('application/problem+json');
  });

  describe('tokens the gateway refuses', () => {
    let token: string;
    let claims: { tid: string; sub: string };

    beforeAll(async () => {
      const signup = await crm.signup('Token Ltd', unique('tokens'));
      token = signup.accessToken;
      claims = { tid: signup.tenantId, sub: signup.userId };
    });

    const signWith = (key: Parameters<SignJWT['sign']>[0], kid: string, audience: string, expiresAt: number) =>
      new SignJWT({ tid: claims.tid, roles: ['admin'], teams: [] })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer('crm-identity')
        .setAudience(audience)
        .setSubject(claims.sub)
        .setIssuedAt(expiresAt - 900)
        .setExpirationTime(expiresAt)
        .sign(key);

    it('accepts the genuine token and nothing else', async () => {
      expect((await crm.call('GET', '/me', { token })).status).toBe(200);
      expect((await crm.call('GET', '/me')).status).toBe(401);

      const [header, payload, signature] = token.split('.');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      const tampered = await crm.call('GET', '/me', { token: `${header}.${payload}.${flipped}` });
      expect(tampered.status).toBe(401);
      expect(tampered.headers.get('www-authenticate')).toMatch(/^Bearer/);

      const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['admin', 'manager'] })).toString('base64url');
      expect((await crm.call('GET', '/me', { token: `${header}.${raised}.${signature}` })).status).toBe(401);
    });

    it('refuses an expired token and one for another audience, though signed with the real key', async () => {
      const [row] = await crm.identity.app.get(DataSource).query(`SELECT kid, private_jwk FROM signing_keys WHERE status = 'active'`);
      const key = await importJWK(row.private_jwk as JWK, 'ES256');
      const now = Math.floor(Date.now() / 1000);
      expect((await crm.call('GET', '/me', { token: await signWith(key, row.kid, 'crm-api', now + 600) })).status).toBe(200);
      expect((await crm.call('GET', '/me', { token: await signWith(key, row.kid, 'crm-api', now - 120) })).status).toBe(401);
      expect((await crm.call('GET', '/me', { token: await signWith(key, row.kid, 'another-api', now + 600) })).status).toBe(401);
    });

    it('refuses a token signed by another key, whatever kid it claims', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const [row] = await crm.identity.app.get(DataSource).query(`SELECT kid FROM signing_keys WHERE status = 'active'`);
      const now = Math.floor(Date.now() / 1000);
      expect((await crm.call('GET', '/me', { token: await signWith(privateKey, row.kid, 'crm-api', now + 600) })).status).toBe(401);
      const ownKid = (await exportJWK(publicKey)).x as string;
      expect((await crm.call('GET', '/me', { token: await signWith(privateKey, ownKid, 'crm-api', now + 600) })).status).toBe(401);
    });
  });

  it('lets an API key in until it is revoked', async () => {
    const admin = await crm.signup('Integrations Ltd', unique('integrator'));
    const created = await crm.call('POST', '/api-keys', { token: admin.accessToken, body: { name: 'ERP 同步', roles: ['rep'] } });
    expect(created.status).toBe(201);
    const { id, key } = created.body;

    expect((await crm.call('GET', '/me', { apiKey: key })).status).toBe(200);
    expect((await crm.call('GET', '/me', { apiKey: `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}` })).status).toBe(401);

    expect((await crm.call('DELETE', `/api-keys/${id}`, { token: admin.accessToken })).status).toBe(204);
    // The gateway trusts an accepted key for GATEWAY_API_KEY_CACHE_MS (1 s here), then asks again.
    const deadline = Date.now() + 5_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await crm.call('GET', '/me', { apiKey: key })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(401);
  });

  it("hides another rep's record from a rep (404) but shows it to their manager", async () => {
    const admin = await crm.signup('Sales Org', unique('admin'));
    const createUser = async (name: string, roles: string[]) => {
      const email = unique(name);
      const response = await crm.call('POST', '/users', { token: admin.accessToken, body: { name, email, roles, password: PASSWORD } });
      expect(response.status).toBe(201);
      return { id: response.body.id as string, email };
    };
    const [repA, repB, manager] = [await createUser('rep-a', ['rep']), await createUser('rep-b', ['rep']), await createUser('manager', ['manager'])];
    const team = await crm.call('POST', '/teams', { token: admin.accessToken, body: { name: '华东销售一组', managerId: manager.id, memberIds: [repA.id, repB.id] } });
    expect(team.status).toBe(201);
    const outsider = await createUser('rep-c', ['rep']);

    // Team membership is in the token, so log in after the team exists.
    const repToken = await crm.login(repA.email);
    const managerToken = await crm.login(manager.email);
    expect((await crm.call('GET', `/users/${repB.id}`, { token: repToken })).status).toBe(404);
    expect((await crm.call('GET', `/users/${repA.id}`, { token: repToken })).status).toBe(200);
    expect((await crm.call('GET', `/users/${repB.id}`, { token: managerToken })).status).toBe(200);
    expect((await crm.call('GET', `/users/${outsider.id}`, { token: managerToken })).status).toBe(404);
    const listed = await crm.call('GET', '/users?limit=100', { token: repToken });
    expect(listed.body.items.map((user: { id: string }) => user.id)).toEqual([repA.id]);
  });

  it("never shows tenant B's users to tenant A, by id, list or search", async () => {
    const emailB = unique('tenant-b');
    const a = await crm.signup('Tenant A', unique('tenant-a'));
    const b = await crm.signup('Tenant B', emailB);

    expect((await crm.call('GET', `/users/${b.userId}`, { token: a.accessToken })).status).toBe(404);
    const list = await crm.call('GET', '/users?limit=100', { token: a.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((user: { id: string }) => user.id)).toEqual([a.userId]);
    const search = await crm.call('GET', `/users?q=${encodeURIComponent(emailB)}`, { token: a.accessToken });
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
    // A client cannot choose its tenant: forged identity headers never reach the service.
    const forged = await crm.call('GET', `/users/${b.userId}`, { token: a.accessToken, headers: { 'x-tenant-id': b.tenantId, 'x-roles': 'admin' } });
    expect(forged.status).toBe(404);
  });

  it('refuses a direct call to the service port without the internal credential', async () => {
    const direct = await fetch(`${crm.identity.url}/api/v1/users`, { headers: { 'x-tenant-id': randomUUID(), 'x-user-id': randomUUID(), 'x-roles': 'admin' } });
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as { code: string }).code).toBe('internal_credential_required');
  });

  it('answers unknown JSON fields with a 400 problem', async () => {
    const admin = await crm.signup('Strict Ltd', unique('strict'));
    const response = await crm.call('POST', '/users', { token: admin.accessToken, body: { name: 'x', email: unique('x'), roles: ['rep'], isSuperUser: true } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(response.body.errors)).toContain('isSuperUser');
  });
});

describe('rate limits at the gateway', () => {
  let crm: CrmUnderTest;

  beforeAll(async () => {
    crm = await CrmUnderTest.start('e2e_limits', { gateway: { GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN: '3' } });
  });

  afterAll(async () => {
    await crm?.stop();
  });

  it('answers 429 with Retry-After once an IP exceeds the auth route limit', async () => {
    const statuses: number[] = [];
    let limited;
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await crm.call('POST', '/auth/login', { body: { email: 'nobody@example.com', password: 'Wrong-password-1' } });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.headers.get('content-type')).toContain('application/problem+json');
  });
});
