import { get } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { createService, type RunningService } from '../bootstrap/create-service';
import { currentContext } from '../database/request-context';
import { Public, RequirePermissions } from './decorators';
import { ANONYMOUS_IDENTITY, signInternalCredential, type InternalIdentity } from './internal-credential';
import { principal } from './principal';

@Controller('records')
class RecordsController {
  @Public()
  @Get('public')
  open(): Record<string, unknown> {
    const context = currentContext();
    return { tenantId: context?.tenantId ?? null, userId: context?.userId ?? null };
  }

  @Get('mine')
  mine(): Record<string, unknown> {
    return { ...principal() };
  }

  @RequirePermissions('users:write')
  @Get('admin-only')
  adminOnly(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [RecordsController] })
class RecordsModule {}

const SECRET = 'the-secret-this-suite-runs-its-service-with';
const rep: InternalIdentity = { tenantId: '11111111-1111-4111-8111-111111111111', userId: 'u-rep', roles: ['rep'], teamIds: ['north'] };

function signed(identity: InternalIdentity = ANONYMOUS_IDENTITY, secret = SECRET): Record<string, string> {
  return signInternalCredential(secret, identity) as Record<string, string>;
}

function rawStatus(base: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(base + path, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

describe('a service behind the gateway', () => {
  let running: RunningService;

  beforeAll(async () => {
    running = await createService(
      { name: 'records', defaultPort: 0, module: RecordsModule },
      { host: '127.0.0.1', port: 0, env: { LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: SECRET } },
    );
  });

  afterAll(() => running.close());

  it('refuses a direct call without the internal credential, whatever identity headers it claims', async () => {
    for (const headers of [{}, { 'x-tenant-id': rep.tenantId!, 'x-user-id': 'u-rep', 'x-roles': 'admin' }]) {
      const response = await request(running.url).get('/api/v1/records/public').set(headers).expect(401);

      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, code: 'internal_credential_required', instance: '/api/v1/records/public' });
      expect(response.body.detail).toContain('missing internal credential');
    }
  });

  it('refuses credentials signed with another secret, or whose identity was changed', async () => {
    const forged = await request(running.url).get('/api/v1/records/mine').set(signed(rep, 'another-secret-that-is-long-enough-too')).expect(401);
    expect(forged.body.code).toBe('internal_credential_required');

    const escalated = await request(running.url).get('/api/v1/records/mine').set({ ...signed(rep), 'x-roles': 'admin' }).expect(401);
    expect(escalated.body.code).toBe('internal_credential_required');

    const stale = signInternalCredential(SECRET, rep, Date.now() - 120_000) as Record<string, string>;
    const expired = await request(running.url).get('/api/v1/records/mine').set(stale).expect(401);
    expect(expired.body.detail).toContain('expired internal credential');
  });

  it('answers probes, metrics and its API document without a credential, and nothing else', async () => {
    await request(running.url).get('/health/live').expect(200);
    await request(running.url).get('/health/ready').expect(200);
    await request(running.url).get('/metrics').expect(200);
    await request(running.url).get('/api/docs-json').expect(200);
    await request(running.url).get('/api/docs').expect(401);
    // Sent as is (supertest would normalise it): exempt paths match exactly, so this is not one.
    expect(await rawStatus(running.url, '/health/live/../../api/v1/records/public')).toBe(401);
    await request(running.url).post('/health/live').expect(401);
  });

  it('accepts a signed anonymous call on a public route, with no identity in the context', async () => {
    await request(running.url).get('/api/v1/records/public').set(signed()).expect(200, { tenantId: null, userId: null });
  });

  it('puts the signed identity into the request context', async () => {
    await request(running.url).get('/api/v1/records/mine').set(signed(rep)).expect(200, { tenantId: rep.tenantId, userId: 'u-rep', roles: ['rep'], teamIds: ['north'] });
  });

  it('answers 401 unauthenticated without a user and 403 without the permission', async () => {
    const anonymous = await request(running.url).get('/api/v1/records/mine').set(signed()).expect(401);
    expect(anonymous.body).toMatchObject({ code: 'unauthenticated' });
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);

    const denied = await request(running.url).get('/api/v1/records/admin-only').set(signed(rep)).expect(403);
    expect(denied.body).toMatchObject({ status: 403, code: 'forbidden' });

    await request(running.url)
      .get('/api/v1/records/admin-only')
      .set(signed({ ...rep, roles: ['admin'] }))
      .expect(200, { ok: true });
  });
});

describe('the gateway (identity headers not trusted)', () => {
  it('needs no internal credential and never reads identity headers', async () => {
    const running = await createService(
      { name: 'edge', defaultPort: 0, module: RecordsModule, trustIdentityHeaders: false },
      { host: '127.0.0.1', port: 0, env: { LOG_LEVEL: 'silent', INTERNAL_AUTH_SECRET: SECRET } },
    );
    try {
      await request(running.url).get('/api/v1/records/public').set(signed(rep)).expect(200, { tenantId: null, userId: null });
      await request(running.url).get('/api/v1/records/mine').set(signed(rep)).expect(401);
      await request(running.url).get('/health/live').expect(200);
    } finally {
      await running.close();
    }
  });
});
