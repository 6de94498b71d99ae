import 'reflect-metadata';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { Body, Controller, Get, Headers, HttpCode, Module, Post, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { request as undiciRequest } from 'undici';
import { createService, type RunningService, type ServiceDefinition } from '@crm/platform/bootstrap';
import { currentContext } from '@crm/platform/observability';
import { FakeIdentity, signingKey } from '../test/fake-identity';
import { service as gateway } from './index';

class CreateCustomerDto {
  @ApiProperty({ example: '张三' })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  priority!: number;
}

class BatchDto {
  @ApiProperty({ type: [CreateCustomerDto] })
  @ValidateNested({ each: true })
  @Type(() => CreateCustomerDto)
  lines!: CreateCustomerDto[];
}

/** Reports what it received, so the tests can see what the gateway forwarded. */
@Controller('customers')
class EchoCustomersController {
  @Get()
  list(@Query('q') q: string | undefined, @Headers() headers: Record<string, string | undefined>): Record<string, unknown> {
    const context = currentContext();
    return {
      q,
      requestId: context?.requestId,
      traceparent: context?.traceparent,
      tenantId: context?.tenantId,
      headers: {
        tenant: headers['x-tenant-id'],
        user: headers['x-user-id'],
        internal: headers['x-internal-secret'],
        forwardedFor: headers['x-forwarded-for'],
        forwardedHost: headers['x-forwarded-host'],
        custom: headers['x-custom'],
      },
    };
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateCustomerDto): Record<string, unknown> {
    return { created: body, isDto: body instanceof CreateCustomerDto };
  }

  /** Large payloads: a body well beyond one TCP packet in both directions. */
  @Post('batch')
  @HttpCode(201)
  batch(@Body() body: BatchDto): { received: number; lines: CreateCustomerDto[] } {
    return { received: body.lines.length, lines: body.lines };
  }

  @Get('slow')
  async slow(): Promise<{ done: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 3_000).unref());
    return { done: true };
  }
}

@Module({ controllers: [EchoCustomersController] })
class EchoCustomersModule {}

const upstreamDefinition: ServiceDefinition = { name: 'customers', defaultPort: 0, module: EchoCustomersModule };
const SECRET = 'gateway-suite-internal-secret-0123456789abcdef';
const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000', INTERNAL_AUTH_SECRET: SECRET };
const noUpstreams = { IDENTITY_URL: undefined, CUSTOMERS_URL: undefined, SALES_URL: undefined, TICKETING_URL: undefined, MARKETING_URL: undefined, ANALYTICS_URL: undefined };

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('gateway in front of a real service', () => {
  let upstream: RunningService;
  let edge: RunningService;
  let healthyEdge: RunningService;
  let bareEdge: RunningService;
  let identity: FakeIdentity;
  /** `Authorization` of a rep in tenant-a, as identity would issue it. */
  let rep: string;

  beforeAll(async () => {
    identity = await FakeIdentity.start(SECRET, [await signingKey('key-1')]);
    rep = `Bearer ${await identity.token({ tenantId: 'tenant-a', userId: 'user-rep', roles: ['rep'] })}`;
    upstream = await createService(upstreamDefinition, { port: 0, host: '127.0.0.1', env: quiet });
    const downUrl = `http://127.0.0.1:${await unusedPort()}`;
    const start = (env: Record<string, string | undefined>) =>
      createService(gateway, { port: 0, host: '127.0.0.1', env: { ...quiet, ...noUpstreams, IDENTITY_URL: identity.url, ...env } });
    [edge, healthyEdge, bareEdge] = await Promise.all([
      start({ CUSTOMERS_URL: upstream.url, SALES_URL: downUrl, GATEWAY_UPSTREAM_TIMEOUT_MS: '800' }),
      start({ CUSTOMERS_URL: upstream.url }),
      start({ IDENTITY_URL: undefined }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([edge?.close(), healthyEdge?.close(), bareEdge?.close()]);
    await upstream?.close();
    await identity?.close();
  });

  it('proxies GET with its query string and end-to-end headers', async () => {
    const response = await request(edge.url).get('/api/v1/customers?q=%E5%BC%A0&limit=5').set('authorization', rep).set('x-custom', 'kept').expect(200);

    expect(response.body.q).toBe('张');
    expect(response.body.headers).toMatchObject({ custom: 'kept', forwardedFor: expect.stringContaining('127.0.0.1') });
    expect(response.body.headers.forwardedHost).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('proxies POST bodies to the service, which validates and transforms them', async () => {
    const response = await request(edge.url).post('/api/v1/customers').set('authorization', rep).send({ name: '张三', priority: 2 }).expect(201);

    expect(response.body).toEqual({ created: { name: '张三', priority: 2 }, isDto: true });
  });

  it('streams large bodies both ways, with a length or chunked', async () => {
    const lines = Array.from({ length: 2_000 }, (_, index) => ({ name: `客户${index}`.padEnd(60, '客'), priority: 3 }));
    const payload = JSON.stringify({ lines });

    const withLength = await request(edge.url).post('/api/v1/customers/batch').set('authorization', rep).set('content-type', 'application/json').send(payload).expect(201);
    expect(withLength.body).toEqual({ received: 2_000, lines });

    const half = Buffer.from(payload).length / 2;
    const chunked = await undiciRequest(`${edge.url}/api/v1/customers/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: rep },
      body: Readable.from([Buffer.from(payload).subarray(0, half), Buffer.from(payload).subarray(half)]),
    });
    expect(chunked.statusCode).toBe(201);
    expect(await chunked.body.json()).toEqual({ received: 2_000, lines });
  });

  it('propagates the client request id and trace, or creates them', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const given = await request(edge.url).get('/api/v1/customers').set('authorization', rep).set('x-request-id', 'client-req-1').set('traceparent', traceparent).expect(200);

    expect(given.headers['x-request-id']).toBe('client-req-1');
    expect(given.body.requestId).toBe('client-req-1');
    expect(given.body.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);

    const generated = await request(edge.url).get('/api/v1/customers').set('authorization', rep).expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.requestId).toBe(generated.headers['x-request-id']);
    expect(generated.body.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('replaces identity and internal headers sent by the client with the verified identity', async () => {
    const response = await request(edge.url)
      .get('/api/v1/customers')
      .set('authorization', rep)
      .set('x-tenant-id', 'someone-elses-tenant')
      .set('x-user-id', 'admin')
      .set('x-roles', 'admin')
      .set('x-internal-secret', 'guessed')
      .expect(200);

    expect(response.body.tenantId).toBe('tenant-a');
    expect(response.body.headers.tenant).toBe('tenant-a');
    expect(response.body.headers.user).toBe('user-rep');
    expect(response.body.headers.internal).toBeUndefined();
  });

  it('passes the service validation problem through unchanged', async () => {
    const response = await request(edge.url).post('/api/v1/customers').set('authorization', rep).set('x-request-id', 'bad-body-1').send({ name: 'x', priority: 9, vip: true }).expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed', instance: '/api/v1/customers', requestId: 'bad-body-1' });
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'priority', message: 'priority must not be greater than 5' },
        { field: 'vip', message: 'property vip should not exist' },
      ]),
    );
  });

  it('answers malformed JSON with 400 problem details, not 500', async () => {
    const response = await request(edge.url).post('/api/v1/customers').set('authorization', rep).set('content-type', 'application/json').send('{"name": "x",').expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'malformed_body' });
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .+:\d+/);
  });

  it('answers 404 problem details for resources no service owns', async () => {
    const response = await request(edge.url).get('/api/v1/nothing-here/1').expect(404);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'not_found', instance: '/api/v1/nothing-here/1' });
  });

  it('answers 503 for services that are not deployed', async () => {
    const response = await request(edge.url).get('/api/v1/tickets').set('authorization', rep).expect(503);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'service_unavailable', detail: 'The ticketing service is not deployed' });
  });

  it('answers 503 when a deployed service is down', async () => {
    const response = await request(edge.url).get('/api/v1/leads').set('authorization', rep).expect(503);

    expect(response.body).toMatchObject({ code: 'service_unavailable', detail: 'The sales service is not reachable' });
  });

  it('answers 504 when a service is slower than the upstream timeout', async () => {
    const startedAt = Date.now();
    const response = await request(edge.url).get('/api/v1/customers/slow').set('authorization', rep).expect(504);

    expect(Date.now() - startedAt).toBeLessThan(2_500);
    expect(response.body).toMatchObject({ code: 'gateway_timeout', detail: 'The customers service did not answer within 800 ms' });
  });

  it('serves one OpenAPI 3 document with the services paths and lists the unavailable ones', async () => {
    const response = await request(edge.url).get('/api/docs-json').expect(200);

    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/customers/slow']));
    expect(response.body.paths['/api/v1/customers'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateCustomerDto');
    expect(response.body.components.schemas.CreateCustomerDto).toBeDefined();
    expect(response.body['x-unavailable-services']).toEqual(expect.arrayContaining(['sales', 'ticketing']));
    expect(response.body['x-unavailable-services']).not.toContain('customers');

    const ui = await request(edge.url).get('/api/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('is ready only when every deployed service is ready', async () => {
    const down = await request(edge.url).get('/health/ready').expect(503);
    expect(down.body.status).toBe('down');
    expect(down.body.checks['upstream:customers'].status).toBe('up');
    expect(down.body.checks['upstream:sales']).toMatchObject({ status: 'down', details: { error: expect.any(String) } });

    const up = await request(healthyEdge.url).get('/health/ready').expect(200);
    expect(up.body).toMatchObject({ status: 'up', checks: { 'upstream:customers': { status: 'up' }, 'upstream:identity': { status: 'up' } } });

    await request(bareEdge.url).get('/health/ready').expect(200, { status: 'up', checks: {} });
    await request(edge.url).get('/health/live').expect(200, { status: 'up' });
  });

  it('exports the request duration histogram by route template', async () => {
    await request(edge.url).get('/api/v1/customers').set('authorization', rep).expect(200);
    const response = await request(edge.url).get('/metrics').expect(200);

    expect(response.text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(response.text).toMatch(/http_server_request_duration_seconds_count\{[^}]*service="gateway"[^}]*route="\/api\/v1\/customers\/\*"[^}]*status="200"/);
    expect(response.text).toMatch(/http_server_request_duration_seconds_count\{[^}]*service="customers"[^}]*route="\/api\/v1\/customers"/);
    expect(response.text).toContain('nodejs_heap_size_used_bytes');
  });
});
