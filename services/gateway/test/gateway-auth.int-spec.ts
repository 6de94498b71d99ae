import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { service as gateway } from '../src/index';
import { close, echo, FakeIdentity, listen, signingKey, type Received, type SigningKey } from './fake-identity';

const SECRET = 'gateway-auth-suite-secret-0123456789abcdef';
const QUIET = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000' };
const NO_UPSTREAMS = { IDENTITY_URL: undefined, CUSTOMERS_URL: undefined, SALES_URL: undefined, TICKETING_URL: undefined, MARKETING_URL: undefined, ANALYTICS_URL: undefined };
const API_KEY = 'crm_key1_s3cretS3cretS3cretS3cret';
const alice = { tenantId: 'tenant-a', userId: 'user-alice', roles: ['manager'], teamIds: ['team-1', 'team-2'] };

function startGateway(env: Record<string, string | undefined>): Promise<RunningService> {
  return createService(gateway, { port: 0, host: '127.0.0.1', env: { ...QUIET, ...NO_UPSTREAMS, INTERNAL_AUTH_SECRET: SECRET, ...env } });
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway authentication', () => {
  let keyA: SigningKey;
  let identity: FakeIdentity;
  let upstreamServer: Server;
  let upstreamUrl: string;
  const upstreamSeen: Received[] = [];
  let edge: RunningService;
  const COOLDOWN_MS = 400;

  beforeAll(async () => {
    keyA = await signingKey('key-a');
    identity = await FakeIdentity.start(SECRET, [keyA]);
    identity.apiKeys.set(API_KEY, { identity: alice, keyId: 'key1' });
    upstreamServer = createServer(echo(SECRET, upstreamSeen));
    upstreamUrl = await listen(upstreamServer);
    edge = await startGateway({
      IDENTITY_URL: identity.url,
      CUSTOMERS_URL: upstreamUrl,
      SALES_URL: upstreamUrl,
      GATEWAY_JWKS_REFETCH_COOLDOWN_MS: String(COOLDOWN_MS),
      GATEWAY_API_KEY_CACHE_MS: '300',
    });
  });

  afterAll(async () => {
    await edge?.close();
    await identity?.close();
    if (upstreamServer) await close(upstreamServer);
  });

  it('fetches the signing keys at start-up with an anonymous internal credential', async () => {
    await until(() => identity.jwksFetches >= 1);
    // The fake refuses the fetch without a valid credential, so a verified token proves it was signed.
    const token = await identity.token();
    await request(edge.url).get('/api/v1/customers').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('forwards the verified identity, signed, and never the token itself', async () => {
    const token = await identity.token({ tenantId: 'tenant-a', userId: 'user-1', roles: ['rep', 'agent'], teams: ['team-1', 'team-9'] });
    const response = await request(edge.url).get('/api/v1/customers/42?q=1').set('authorization', `Bearer ${token}`).expect(200);
    const received = response.body as Received;

    expect(received.url).toBe('/api/v1/customers/42?q=1');
    expect(received.headers).toMatchObject({ 'x-tenant-id': 'tenant-a', 'x-user-id': 'user-1', 'x-roles': 'rep,agent', 'x-team-ids': 'team-1,team-9' });
    expect(received.headers['x-internal-auth']).toMatch(/^v1\.\d+\./);
    expect(received.credentialValid).toBe(true);
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers['x-api-key']).toBeUndefined();
  });

  it('never lets a client-forged identity header reach the service', async () => {
    const token = await identity.token({ tenantId: 'tenant-a', userId: 'user-1' });
    const forged = { 'x-tenant-id': 'tenant-b', 'x-user-id': 'admin', 'x-roles': 'admin', 'x-team-ids': 'all', 'x-internal-auth': 'v1.1.forged' };

    const authenticated = await request(edge.url).get('/api/v1/customers').set(forged).set('authorization', `Bearer ${token}`).expect(200);
    expect(authenticated.body.headers).toMatchObject({ 'x-tenant-id': 'tenant-a', 'x-user-id': 'user-1', 'x-roles': 'rep', 'x-team-ids': 'team-1' });
    expect(authenticated.body.credentialValid).toBe(true);

    const anonymous = await request(edge.url).post('/api/v1/auth/login').set(forged).send({ email: 'a@example.com' }).expect(200);
    expect(anonymous.body.headers['x-tenant-id']).toBeUndefined();
    expect(anonymous.body.headers['x-roles']).toBeUndefined();
    expect(anonymous.body.credentialValid).toBe(true);
  });

  it('answers 401 with a Bearer challenge when credentials are missing', async () => {
    const response = await request(edge.url).get('/api/v1/customers').expect(401);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="crm"');
    expect(response.body).toMatchObject({ status: 401, code: 'unauthenticated', instance: '/api/v1/customers' });

    const basic = await request(edge.url).get('/api/v1/customers').set('authorization', 'Basic dXNlcjpwYXNz').expect(401);
    expect(basic.body.code).toBe('invalid_token');
  });

  it('refuses tampered, expired, wrong-audience, wrong-issuer and foreign-key tokens with 401', async () => {
    const valid = await identity.token();
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    const foreignKey = await signingKey('key-a'); // same kid, different key pair

    const cases: Array<[string, string, RegExp]> = [
      ['tampered claims', `${header}.${escalated}.${signature}`, /invalid/],
      ['tampered signature', `${header}.${payload}.${signature.slice(0, -4)}AAAA`, /invalid/],
      ['expired', await identity.token({ expiresIn: -60 }), /expired/],
      ['other audience', await identity.token({ audience: 'another-api' }), /aud/],
      ['other issuer', await identity.token({ issuer: 'someone-else' }), /iss/],
      ['signed by another key', await identity.token({ key: foreignKey }), /invalid/],
      ['not a JWT', 'not-a-token', /invalid/],
    ];
    for (const [name, token, detail] of cases) {
      const response = await request(edge.url).get('/api/v1/customers').set('authorization', `Bearer ${token}`);
      expect({ name, status: response.status, code: response.body.code }).toEqual({ name, status: 401, code: 'invalid_token' });
      expect(response.body.detail).toMatch(detail);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="crm", error="invalid_token"/);
    }
  });

  it('fetches the keys again for an unknown kid, at most once per cooldown', async () => {
    await sleep(COOLDOWN_MS + 50);
    const keyB = await signingKey('key-b');
    identity.published.push(keyB);
    const before = identity.jwksFetches;

    const rotated = await identity.token({ key: keyB, userId: 'user-rotated' });
    const response = await request(edge.url).get('/api/v1/customers').set('authorization', `Bearer ${rotated}`).expect(200);
    expect(response.body.headers['x-user-id']).toBe('user-rotated');
    expect(identity.jwksFetches).toBe(before + 1);

    // Right after a fetch, a kid nobody published is refused without asking identity again.
    const unknown = await signingKey('key-never-published');
    const refused = await request(edge.url)
      .get('/api/v1/customers')
      .set('authorization', `Bearer ${await identity.token({ key: unknown })}`)
      .expect(401);
    expect(refused.body.detail).toMatch(/unknown key/);
    expect(identity.jwksFetches).toBe(before + 1);
  });

  it('accepts an API key identity vouches for, caches it briefly, and stops once it is revoked', async () => {
    const before = identity.verifyCalls;
    const first = await request(edge.url).get('/api/v1/customers').set('x-api-key', API_KEY).expect(200);
    expect(first.body.headers).toMatchObject({ 'x-tenant-id': 'tenant-a', 'x-user-id': 'user-alice', 'x-roles': 'manager', 'x-team-ids': 'team-1,team-2' });
    expect(first.body.credentialValid).toBe(true);
    expect(first.body.headers['x-api-key']).toBeUndefined();

    await request(edge.url).get('/api/v1/customers').set('x-api-key', API_KEY).expect(200);
    expect(identity.verifyCalls).toBe(before + 1);

    identity.apiKeys.delete(API_KEY); // revoked
    await sleep(350); // GATEWAY_API_KEY_CACHE_MS = 300
    const revoked = await request(edge.url).get('/api/v1/customers').set('x-api-key', API_KEY).expect(401);
    expect(revoked.body).toMatchObject({ code: 'invalid_api_key', requestId: revoked.headers['x-request-id'] });
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer/);
    identity.apiKeys.set(API_KEY, { identity: alice, keyId: 'key1' });
  });

  it('refuses malformed and unknown API keys with 401', async () => {
    const before = identity.verifyCalls;
    const malformed = await request(edge.url).get('/api/v1/customers').set('x-api-key', 'not-a-key').expect(401);
    expect(malformed.body.code).toBe('invalid_api_key');
    expect(identity.verifyCalls).toBe(before);

    await request(edge.url).get('/api/v1/customers').set('x-api-key', 'crm_other_wrongwrongwrongwrong').expect(401);
    expect(identity.verifyCalls).toBe(before + 1);
  });

  it('lets the public allow-list through anonymously, and only it', async () => {
    const token = await identity.token();
    const login = await request(edge.url).post('/api/v1/auth/login').set('authorization', `Bearer ${token}`).send({ email: 'a@example.com' }).expect(200);
    expect(login.body).toMatchObject({ method: 'POST', url: '/api/v1/auth/login', credentialValid: true });
    expect(login.body.headers.authorization).toBeUndefined();
    expect(login.body.headers['x-user-id']).toBeUndefined();

    await request(edge.url).post('/api/v1/auth/refresh').send({ refreshToken: 'r' }).expect(200);
    await request(edge.url).get('/api/v1/auth/jwks').expect(200);
    const form = await request(edge.url).post('/api/v1/public/forms/contact-us/submissions').send({ name: '张三' }).expect(200);
    expect(form.body).toMatchObject({ url: '/api/v1/public/forms/contact-us/submissions', credentialValid: true });

    // Same resource, other method or path: protected.
    await request(edge.url).get('/api/v1/auth/login').expect(401);
    await request(edge.url).post('/api/v1/auth/sessions').expect(401);
    await request(edge.url).get('/api/v1/me').expect(401);
  });

  it('refuses /api/v1/internal with 404, even to authenticated callers', async () => {
    const token = await identity.token({ roles: ['admin'] });
    const before = identity.verifyCalls;
    for (const path of ['/api/v1/internal/api-keys/verify', '/api/v1/INTERNAL/api-keys/verify', '/api/v1/internal']) {
      const response = await request(edge.url).post(path).set('authorization', `Bearer ${token}`).send({ key: API_KEY }).expect(404);
      expect(response.body).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(identity.verifyCalls).toBe(before);
  });

  it('documents bearerAuth and apiKeyAuth, with the public routes open', async () => {
    const document = (await request(edge.url).get('/api/docs-json').expect(200)).body;

    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKeyAuth', 'bearerAuth']);
    expect(document.components.securitySchemes.apiKeyAuth).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(document.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(document.paths['/api/v1/users'].get.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
  });
});

describe('gateway authentication while identity is down', () => {
  let edge: RunningService;
  let identity: FakeIdentity;

  beforeAll(async () => {
    // Tokens are signed by a real key, but the gateway's identity URL leads nowhere.
    identity = await FakeIdentity.start(SECRET, [await signingKey('key-a')]);
    const nowhere = createServer();
    const url = await listen(nowhere);
    await close(nowhere);
    edge = await startGateway({ IDENTITY_URL: url, CUSTOMERS_URL: identity.url, GATEWAY_IDENTITY_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await edge?.close();
    await identity?.close();
  });

  it('answers 503, not 401, when credentials cannot be checked', async () => {
    const token = await identity.token();
    for (const credential of [{ authorization: `Bearer ${token}` }, { 'x-api-key': API_KEY }]) {
      const response = await request(edge.url).get('/api/v1/customers').set(credential).expect(503);
      expect(response.body).toMatchObject({ status: 503, code: 'identity_unavailable' });
      expect(response.headers['retry-after']).toBeDefined();
    }
    // Without credentials there is nothing to check: still 401.
    await request(edge.url).get('/api/v1/customers').expect(401);
  });
});
