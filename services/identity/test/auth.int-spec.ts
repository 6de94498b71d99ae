import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { service } from '../src';
import { IdentityHarness, identityOf } from './identity-harness';

jest.setTimeout(120_000);

const MAX_FAILURES = 3;

describe('identity: sign-up, sign-in, tokens', () => {
  let identity: IdentityHarness;

  beforeAll(async () => {
    identity = await IdentityHarness.start('identity_auth', { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCKOUT_S: '600' });
  });
  afterAll(() => identity?.stop());

  const auditActions = async (tenantId: string): Promise<string[]> =>
    (await identity.queryAsTenant<{ action: string }>(tenantId, `SELECT action FROM audit_log ORDER BY at, id`)).map((row) => row.action);

  it('creates the demo tenant and admin on the first embedded start, and nothing on the next', async () => {
    const lines = await service.embeddedSetup!(identity.running.app, {});

    expect(lines.join('\n')).toContain('admin@demo.local');
    const password = /password {2}(\S+)/.exec(lines.join('\n'))?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const tokens = await identity.login('admin@demo.local', password!);
    const me = await identity.as(identityOf(tokens.accessToken)).get('/me').expect(200);
    expect(me.body).toMatchObject({ tenant: { name: 'Demo Company' }, roles: ['admin'], user: { email: 'admin@demo.local' } });

    await expect(service.embeddedSetup!(identity.running.app, {})).resolves.toEqual([]);
  });

  it('signs up, signs in, refreshes and reads me with tokens the JWKS verifies', async () => {
    const signup = await identity.signup('上海示例贸易有限公司', 'Wang.Fang@Example.cn', 'Correct-horse-1');
    expect(signup).toMatchObject({ tenantId: expect.any(String), userId: expect.any(String), expiresIn: 900 });

    // Addresses are matched without case.
    const login = await identity.login('wang.fang@example.CN', 'Correct-horse-1');
    const refreshed = (await identity.as().post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)).body;
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);

    const jwks = (await identity.as().get('/auth/jwks').expect(200)).body as JSONWebKeySet;
    const { payload } = await jwtVerify(refreshed.accessToken, createLocalJWKSet(jwks), { issuer: 'crm-identity', audience: 'crm-api' });
    expect(payload).toMatchObject({ sub: signup.userId, tid: signup.tenantId, roles: ['admin'], teams: [], jti: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(decodeProtectedHeader(refreshed.accessToken)).toMatchObject({ alg: 'ES256', kid: jwks.keys[0].kid });

    const me = await identity.as(identityOf(refreshed.accessToken)).get('/me').expect(200);
    expect(me.body).toMatchObject({
      user: { id: signup.userId, name: 'Admin of 上海示例贸易有限公司', email: 'Wang.Fang@Example.cn', roles: ['admin'], lastLoginAt: expect.any(String) },
      tenant: { id: signup.tenantId, name: '上海示例贸易有限公司' },
      roles: ['admin'],
      permissions: expect.arrayContaining(['users:write', 'audit:read', 'roles:assign']),
      teams: [],
    });
    // Same millisecond within one transaction: compare as sets.
    expect((await auditActions(signup.tenantId)).sort()).toEqual(['auth.login_succeeded', 'auth.signup', 'user.created']);
  });

  it('refuses an address another tenant already uses, whatever its case', async () => {
    const response = await identity
      .as()
      .post('/auth/signup')
      .send({ tenantName: 'Copycat', name: 'Copy', email: 'WANG.FANG@example.cn', password: 'Another-pass-1' })
      .expect(409);
    expect(response.body).toMatchObject({ code: 'email_taken' });
  });

  it('lets a refresh token work once; presenting it again revokes every token of that sign-in', async () => {
    const { tenantId } = await identity.signup('Reuse Ltd', 'owner@reuse.test');
    const first = await identity.login('owner@reuse.test', 'Sign-up-Pa55');
    const second = (await identity.as().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;

    const replay = await identity.as().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(replay.body).toMatchObject({ code: 'invalid_refresh_token' });
    // The legitimate successor died with its family.
    await identity.as().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    expect(await auditActions(tenantId)).toContain('auth.refresh_token_reused');
    // Another sign-in is another family and unaffected.
    const other = await identity.login('owner@reuse.test', 'Sign-up-Pa55');
    await identity.as().post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(200);
  });

  it('signs out: the refresh token stops working', async () => {
    await identity.signup('Logout Ltd', 'owner@logout.test');
    const tokens = await identity.login('owner@logout.test', 'Sign-up-Pa55');
    await identity.as().post('/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
    await identity.as().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    // Unknown tokens: nothing to sign out of, same answer.
    await identity.as().post('/auth/logout').send({ refreshToken: 'not-a-token' }).expect(204);
  });

  it(`locks an address after ${MAX_FAILURES} wrong passwords, then refuses even the right one`, async () => {
    const { tenantId } = await identity.signup('Locked Ltd', 'owner@locked.test');
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) {
      const wrong = await identity.as().post('/auth/login').send({ email: 'owner@locked.test', password: 'Wrong-pass-1' }).expect(401);
      expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
    }
    const locking = await identity.as().post('/auth/login').send({ email: 'owner@locked.test', password: 'Wrong-pass-1' }).expect(429);
    expect(locking.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locking.body).toMatchObject({ code: 'login_locked', status: 429 });
    expect(Number(locking.headers['retry-after'])).toBe(600);

    const right = await identity.as().post('/auth/login').send({ email: 'owner@locked.test', password: 'Sign-up-Pa55' }).expect(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(590);
    const actions = await auditActions(tenantId);
    expect(actions.filter((action) => action === 'auth.login_failed')).toHaveLength(MAX_FAILURES + 1);
    expect(actions).toContain('auth.login_locked');
  });

  it('treats an unknown address exactly like a known one, lock-out included', async () => {
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) {
      const response = await identity.as().post('/auth/login').send({ email: 'nobody@nowhere.test', password: 'Wrong-pass-1' }).expect(401);
      expect(response.body).toMatchObject({ code: 'invalid_credentials', detail: 'The e-mail address or password is wrong' });
    }
    await identity.as().post('/auth/login').send({ email: 'nobody@nowhere.test', password: 'Wrong-pass-1' }).expect(429);
  });

  it('forgets failures after a successful sign-in', async () => {
    await identity.signup('Forgiving Ltd', 'owner@forgiving.test');
    const wrong = () => identity.as().post('/auth/login').send({ email: 'owner@forgiving.test', password: 'Wrong-pass-1' }).expect(401);
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) await wrong();
    await identity.login('owner@forgiving.test', 'Sign-up-Pa55');
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) await wrong();
  });

  it('answers weak passwords and unknown fields with 400 problem details', async () => {
    const weak = await identity.as().post('/auth/signup').send({ tenantName: 'Weak', name: 'Weak', email: 'weak@weak.test', password: 'alllowercase' }).expect(400);
    expect(weak.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(weak.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'password', message: 'password must mix at least two of lower case, upper case, digits and other characters' }],
    });

    const unknown = await identity.as().post('/auth/login').send({ email: 'a@b.test', password: 'x', isAdmin: true }).expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'isAdmin', message: 'property isAdmin should not exist' }] });
  });

  it('refuses calls that did not come through the gateway, and anonymous calls to user routes', async () => {
    const direct = await identity.direct().get('/api/v1/me').set({ 'x-tenant-id': '00000000-0000-4000-8000-000000000000', 'x-user-id': 'u', 'x-roles': 'admin' }).expect(401);
    expect(direct.body).toMatchObject({ code: 'internal_credential_required' });
    await identity.direct().post('/api/v1/auth/login').send({ email: 'a@b.test', password: 'x' }).expect(401);

    const anonymous = await identity.as().get('/me').expect(401);
    expect(anonymous.body).toMatchObject({ code: 'unauthenticated' });
  });
});
