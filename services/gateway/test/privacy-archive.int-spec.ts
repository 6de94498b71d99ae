import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import request from 'supertest';
import { verifyInternalCredential } from '@crm/platform/auth';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { service as gateway } from '../src/index';
import { close, FakeIdentity, listen, signingKey } from './fake-identity';

const SECRET = 'privacy-archive-suite-internal-secret-0123456789';
const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000', INTERNAL_AUTH_SECRET: SECRET };
const EXPORT_ID = '11111111-1111-4111-8111-111111111111';
const ERASURE_ID = '22222222-2222-4222-8222-222222222222';
const CUSTOMER_ID = '33333333-3333-4333-8333-333333333333';

interface Seen {
  method: string;
  url: string;
  credentialValid: boolean;
  user?: string;
  roles?: string;
  requestId?: string;
  body: string;
}

/** A service that answers with `answer` and records what it was asked. */
async function fakeService(answer: (req: IncomingMessage, body: string) => { status: number; body?: unknown }): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const credentialValid = verifyInternalCredential(SECRET, req.headers).valid;
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        credentialValid,
        user: req.headers['x-user-id'] as string | undefined,
        roles: req.headers['x-roles'] as string | undefined,
        requestId: req.headers['x-request-id'] as string | undefined,
        body,
      });
      const { status, body: payload } = credentialValid ? answer(req, body) : { status: 401, body: { status: 401, code: 'internal_credential_required' } };
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    });
  });
  return { server, url: await listen(server), seen };
}

/** customers as far as the archive goes: the request (admins only), its own export, the delivery report. */
function customersAnswer(req: IncomingMessage): { status: number; body?: unknown } {
  const admin = String(req.headers['x-roles'] ?? '').split(',').includes('admin');
  if (!admin) return { status: 403, body: { status: 403, code: 'forbidden', detail: 'This action needs the permission privacy:manage' } };
  if (req.method === 'GET' && req.url === `/api/v1/privacy/requests/${EXPORT_ID}`) {
    return { status: 200, body: { id: EXPORT_ID, type: 'export', customerId: CUSTOMER_ID, archiveUrl: `/api/v1/privacy/requests/${EXPORT_ID}/archive` } };
  }
  if (req.method === 'GET' && req.url === `/api/v1/privacy/requests/${ERASURE_ID}`) return { status: 200, body: { id: ERASURE_ID, type: 'erasure', customerId: CUSTOMER_ID, archiveUrl: null } };
  if (req.method === 'GET' && req.url === `/api/v1/internal/privacy/customers/${CUSTOMER_ID}/export`) {
    return { status: 200, body: { service: 'customers', sections: [{ name: 'customer', data: { id: CUSTOMER_ID, name: '张三', phones: ['+8613800138000'] } }] } };
  }
  if (req.method === 'POST' && req.url === `/api/v1/internal/privacy/requests/${EXPORT_ID}/delivery`) return { status: 200, body: { id: EXPORT_ID, status: 'completed' } };
  return { status: 404, body: { status: 404, code: 'not_found' } };
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  const url = await listen(server);
  await close(server);
  return Number(new URL(url).port);
}

describe('gateway: privacy export archive', () => {
  let identity: FakeIdentity;
  let customers: Awaited<ReturnType<typeof fakeService>>;
  let sales: Awaited<ReturnType<typeof fakeService>>;
  let ticketing: Awaited<ReturnType<typeof fakeService>>;
  let edge: RunningService;
  let edgeWithoutCustomers: RunningService;
  let admin: string;
  let rep: string;

  beforeAll(async () => {
    identity = await FakeIdentity.start(SECRET, [await signingKey('key-1')]);
    admin = `Bearer ${await identity.token({ tenantId: 'tenant-a', userId: 'user-admin', roles: ['admin'] })}`;
    rep = `Bearer ${await identity.token({ tenantId: 'tenant-a', userId: 'user-rep', roles: ['rep'] })}`;
    customers = await fakeService(customersAnswer);
    // sales fails, ticketing has no export endpoint yet, marketing is down, analytics is not deployed.
    sales = await fakeService(() => ({ status: 500, body: { status: 500, code: 'internal' } }));
    ticketing = await fakeService(() => ({ status: 404, body: { status: 404, code: 'not_found' } }));
    const down = `http://127.0.0.1:${await unusedPort()}`;
    const start = (env: Record<string, string | undefined>) =>
      createService(gateway, {
        port: 0,
        host: '127.0.0.1',
        env: { ...quiet, IDENTITY_URL: identity.url, SALES_URL: undefined, TICKETING_URL: undefined, MARKETING_URL: undefined, ANALYTICS_URL: undefined, GATEWAY_UPSTREAM_TIMEOUT_MS: '2000', ...env },
      });
    [edge, edgeWithoutCustomers] = await Promise.all([
      start({ CUSTOMERS_URL: customers.url, SALES_URL: sales.url, TICKETING_URL: ticketing.url, MARKETING_URL: down }),
      start({ CUSTOMERS_URL: down }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([edge?.close(), edgeWithoutCustomers?.close()]);
    await Promise.all([customers, sales, ticketing].filter(Boolean).map((fake) => close(fake.server)));
    await identity?.close();
  });

  it("composes every service's export into one attachment that says which parts are missing", async () => {
    const response = await request(edge.url).get(`/api/v1/privacy/requests/${EXPORT_ID}/archive`).set('authorization', admin).set('x-request-id', 'archive-1').expect(200);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="privacy-export-${EXPORT_ID}.json"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const archive = JSON.parse(response.text);
    expect(archive).toEqual({
      requestId: EXPORT_ID,
      customerId: CUSTOMER_ID,
      generatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      complete: false,
      services: {
        customers: { status: 'included', sections: [{ name: 'customer', data: { id: CUSTOMER_ID, name: '张三', phones: ['+8613800138000'] } }] },
        sales: { status: 'unavailable', detail: 'The sales service answered 500' },
        ticketing: { status: 'unavailable', detail: 'The ticketing service answered 404' },
        marketing: { status: 'unavailable', detail: 'The marketing service is not reachable' },
        analytics: { status: 'not_deployed' },
      },
    });
  });

  it("asks every service as the caller, and tells customers what it delivered", async () => {
    const exportCalls = [...customers.seen, ...sales.seen, ...ticketing.seen].filter((call) => call.url.endsWith(`/customers/${CUSTOMER_ID}/export`));
    expect(exportCalls).toHaveLength(3);
    expect(exportCalls.every((call) => call.credentialValid && call.user === 'user-admin' && call.roles === 'admin' && call.requestId === 'archive-1')).toBe(true);

    const delivery = customers.seen.find((call) => call.method === 'POST');
    expect(delivery).toMatchObject({ url: `/api/v1/internal/privacy/requests/${EXPORT_ID}/delivery`, credentialValid: true, user: 'user-admin' });
    expect(JSON.parse(delivery?.body ?? '')).toEqual({
      complete: false,
      services: [
        { service: 'customers', status: 'included' },
        { service: 'sales', status: 'unavailable', detail: 'The sales service answered 500' },
        { service: 'ticketing', status: 'unavailable', detail: 'The ticketing service answered 404' },
        { service: 'marketing', status: 'unavailable', detail: 'The marketing service is not reachable' },
      ],
    });
  });

  it("passes customers' refusal through: 403 for a caller without privacy:manage, 404 for an unknown request", async () => {
    const before = customers.seen.length;
    const refused = await request(edge.url).get(`/api/v1/privacy/requests/${EXPORT_ID}/archive`).set('authorization', rep).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 403, code: 'forbidden' });
    await request(edge.url).get('/api/v1/privacy/requests/44444444-4444-4444-8444-444444444444/archive').set('authorization', admin).expect(404);
    // Nothing was exported for them.
    expect(customers.seen.slice(before).map((call) => call.url)).toEqual([`/api/v1/privacy/requests/${EXPORT_ID}`, '/api/v1/privacy/requests/44444444-4444-4444-8444-444444444444']);
  });

  it('has no archive for an erasure, none without credentials, and keeps the internal routes closed', async () => {
    const erasure = await request(edge.url).get(`/api/v1/privacy/requests/${ERASURE_ID}/archive`).set('authorization', admin).expect(409);
    expect(erasure.body).toMatchObject({ code: 'not_an_export_request' });
    await request(edge.url).get(`/api/v1/privacy/requests/${EXPORT_ID}/archive`).expect(401);
    await request(edge.url).get(`/api/v1/internal/privacy/customers/${CUSTOMER_ID}/export`).set('authorization', admin).expect(404);
  });

  it('answers 503 when customers cannot say whether the request exists', async () => {
    const response = await request(edgeWithoutCustomers.url).get(`/api/v1/privacy/requests/${EXPORT_ID}/archive`).set('authorization', admin).expect(503);
    expect(response.body).toMatchObject({ code: 'service_unavailable', detail: 'The customers service is not reachable' });
  });

  it('documents the archive route in the merged API document', async () => {
    const { body } = await request(edge.url).get('/api/docs-json').expect(200);
    const operation = body.paths['/api/v1/privacy/requests/{id}/archive'].get;
    expect(operation.tags).toEqual(['privacy']);
    // Protected like every route that is not public: the document's bearer token or API key applies.
    expect(operation.security).toBeUndefined();
    expect(body.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
  });

  it('proxies the rest of /api/v1/privacy/requests to customers', async () => {
    const response = await request(edge.url).get(`/api/v1/privacy/requests/${EXPORT_ID}`).set('authorization', admin).expect(200);
    expect(response.body).toMatchObject({ id: EXPORT_ID, type: 'export' });
  });
});
