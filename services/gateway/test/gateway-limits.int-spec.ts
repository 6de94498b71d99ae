import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import request from 'supertest';
import { request as undiciRequest } from 'undici';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { service as gateway } from '../src/index';
import { close, echo, FakeIdentity, listen, signingKey, type Received } from './fake-identity';

const SECRET = 'gateway-limits-suite-secret-0123456789abcdef';
const QUIET = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000' };
const NO_UPSTREAMS = { IDENTITY_URL: undefined, CUSTOMERS_URL: undefined, SALES_URL: undefined, TICKETING_URL: undefined, MARKETING_URL: undefined, ANALYTICS_URL: undefined };
const APP_ORIGIN = 'https://app.example.com';

describe('gateway rate limits, body limit and CORS', () => {
  let identity: FakeIdentity;
  let upstreamServer: Server;
  const upstreamSeen: Received[] = [];
  let edge: RunningService;
  let bearer: (options?: Parameters<FakeIdentity['token']>[0]) => Promise<string>;

  beforeAll(async () => {
    identity = await FakeIdentity.start(SECRET, [await signingKey('key-a')]);
    identity.apiKeys.set('crm_k1_aaaaaaaaaaaaaaaaaaaaaaaa', { identity: { tenantId: 'tenant-keys', userId: 'u-k', roles: ['rep'], teamIds: [] }, keyId: 'k1' });
    upstreamServer = createServer(echo(SECRET, upstreamSeen, { vary: 'Accept-Encoding', etag: '"v1"' }));
    const upstreamUrl = await listen(upstreamServer);
    edge = await createService(gateway, {
      port: 0,
      host: '127.0.0.1',
      env: {
        ...QUIET,
        ...NO_UPSTREAMS,
        INTERNAL_AUTH_SECRET: SECRET,
        IDENTITY_URL: identity.url,
        CUSTOMERS_URL: upstreamUrl,
        SALES_URL: upstreamUrl,
        GATEWAY_RATE_LIMIT_USER_PER_MIN: '3',
        GATEWAY_RATE_LIMIT_API_KEY_PER_MIN: '2',
        GATEWAY_RATE_LIMIT_TENANT_PER_MIN: '5',
        GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN: '2',
        GATEWAY_RATE_LIMIT_PUBLIC_IP_PER_MIN: '0',
        GATEWAY_MAX_BODY_BYTES: '2048',
        GATEWAY_CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.com`,
        GATEWAY_CORS_MAX_AGE_S: '300',
      },
    });
    bearer = async (options) => `Bearer ${await identity.token(options)}`;
  });

  afterAll(async () => {
    await edge?.close();
    await identity?.close();
    if (upstreamServer) await close(upstreamServer);
  });

  describe('rate limits', () => {
    it('limits each user, answering 429 with Retry-After and RateLimit headers', async () => {
      const token = await bearer({ tenantId: 'tenant-u', userId: 'user-busy' });
      for (let index = 0; index < 3; index += 1) await request(edge.url).get('/api/v1/customers').set('authorization', token).expect(200);

      const limited = await request(edge.url).get('/api/v1/customers').set('authorization', token).expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited', instance: '/api/v1/customers' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(20);
      expect(limited.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0' });

      // Another user of the same tenant has their own quota.
      await request(edge.url).get('/api/v1/customers').set('authorization', await bearer({ tenantId: 'tenant-u', userId: 'user-calm' })).expect(200);
    });

    it('limits each tenant across its users', async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 6; index += 1) {
        const token = await bearer({ tenantId: 'tenant-t', userId: `user-${index}` });
        statuses.push((await request(edge.url).get('/api/v1/customers').set('authorization', token)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      await request(edge.url).get('/api/v1/customers').set('authorization', await bearer({ tenantId: 'tenant-other', userId: 'user-0' })).expect(200);
    });

    it('limits each API key', async () => {
      const key = 'crm_k1_aaaaaaaaaaaaaaaaaaaaaaaa';
      await request(edge.url).get('/api/v1/customers').set('x-api-key', key).expect(200);
      await request(edge.url).get('/api/v1/customers').set('x-api-key', key).expect(200);
      const limited = await request(edge.url).get('/api/v1/customers').set('x-api-key', key).expect(429);
      expect(limited.body.detail).toMatch(/API key/);
    });

    it('limits the public auth routes per client IP, and leaves other public routes to their own limit', async () => {
      await request(edge.url).post('/api/v1/auth/login').send({}).expect(200);
      await request(edge.url).post('/api/v1/auth/signup').send({}).expect(200);
      const limited = await request(edge.url).post('/api/v1/auth/login').send({}).expect(429);
      expect(limited.headers['retry-after']).toBeDefined();
      // X-Forwarded-For is not believed without GATEWAY_TRUST_PROXY: no escaping the limit with it.
      await request(edge.url).post('/api/v1/auth/login').set('x-forwarded-for', '198.51.100.9').send({}).expect(429);

      // GATEWAY_RATE_LIMIT_PUBLIC_IP_PER_MIN = 0 turns that limit off.
      for (let index = 0; index < 5; index += 1) await request(edge.url).post('/api/v1/public/forms/f/submissions').send({}).expect(200);
    });
  });

  describe('body size', () => {
    it('answers 413 for a declared length over the limit, without contacting the service', async () => {
      const before = upstreamSeen.length;
      const response = await undiciRequest(`${edge.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: await bearer({ userId: 'user-413' }), 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(4096, 1),
      });

      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await response.body.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
      expect(upstreamSeen.length).toBe(before);
    });

    it('counts chunked bodies as they stream and cuts them off at the limit', async () => {
      const authorization = await bearer({ userId: 'user-chunked' });
      const small = await undiciRequest(`${edge.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization },
        body: Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)]),
      });
      expect(small.statusCode).toBe(200);
      expect(((await small.body.json()) as Received).bodyBytes).toBe(2000);

      const large = await undiciRequest(`${edge.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: await bearer({ userId: 'user-chunked-2' }) },
        body: Readable.from([Buffer.alloc(1500, 1), Buffer.alloc(1500, 2)]),
      });
      expect(large.statusCode).toBe(413);
      expect(await large.body.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
    });
  });

  describe('CORS', () => {
    it('answers preflights itself, for allowed origins only', async () => {
      const preflight = await request(edge.url)
        .options('/api/v1/customers')
        .set('origin', APP_ORIGIN)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, idempotency-key, content-type')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      for (const header of ['Authorization', 'X-API-Key', 'Idempotency-Key', 'If-Match', 'Content-Type', 'X-Request-Id']) {
        expect(preflight.headers['access-control-allow-headers']).toContain(header);
      }
      expect(preflight.headers['access-control-max-age']).toBe('300');
      expect(preflight.headers.vary).toContain('Origin');

      const foreign = await request(edge.url).options('/api/v1/customers').set('origin', 'https://evil.example.com').set('access-control-request-method', 'GET').expect(204);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect(foreign.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('marks proxied responses and refusals for allowed origins, keeping the service Vary', async () => {
      const proxied = await request(edge.url)
        .get('/api/v1/customers')
        .set('origin', 'https://admin.example.com')
        .set('authorization', await bearer({ userId: 'user-cors' }))
        .expect(200);
      expect(proxied.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      expect(proxied.headers.vary).toBe('Accept-Encoding, Origin');
      for (const header of ['X-Request-Id', 'Retry-After', 'ETag', 'Location']) expect(proxied.headers['access-control-expose-headers']).toContain(header);
      expect(proxied.headers.etag).toBe('"v1"');

      const refused = await request(edge.url).get('/api/v1/customers').set('origin', APP_ORIGIN).expect(401);
      expect(refused.headers['access-control-allow-origin']).toBe(APP_ORIGIN);

      const foreign = await request(edge.url).get('/api/v1/customers').set('origin', 'https://evil.example.com').expect(401);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('gateway behind a trusted proxy', () => {
  let edge: RunningService;
  let identity: FakeIdentity;

  beforeAll(async () => {
    identity = await FakeIdentity.start(SECRET, [await signingKey('key-a')]);
    edge = await createService(gateway, {
      port: 0,
      host: '127.0.0.1',
      env: { ...QUIET, ...NO_UPSTREAMS, INTERNAL_AUTH_SECRET: SECRET, IDENTITY_URL: identity.url, GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN: '1', GATEWAY_TRUST_PROXY: 'true' },
    });
  });

  afterAll(async () => {
    await edge?.close();
    await identity?.close();
  });

  it('limits per client address as the proxy reports it', async () => {
    await request(edge.url).post('/api/v1/auth/login').set('x-forwarded-for', '203.0.113.1').send({}).expect(200);
    await request(edge.url).post('/api/v1/auth/login').set('x-forwarded-for', '203.0.113.1').send({}).expect(429);
    // A forged entry to the left of the proxy's own does not change who the client is.
    await request(edge.url).post('/api/v1/auth/login').set('x-forwarded-for', '10.9.9.9, 203.0.113.1').send({}).expect(429);
    await request(edge.url).post('/api/v1/auth/login').set('x-forwarded-for', '203.0.113.2').send({}).expect(200);
  });
});
