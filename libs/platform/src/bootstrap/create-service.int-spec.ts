import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import request from 'supertest';
import { Public } from '../auth/decorators';
import { ANONYMOUS_IDENTITY, signInternalCredential, type InternalIdentity } from '../auth/internal-credential';
import { currentContext, requireTenantId } from '../database/request-context';
import { createService, type RunningService } from './create-service';

class NoteDto {
  @ApiProperty()
  @IsString()
  text!: string;
}

/** What the gateway adds to every request it forwards (the jest global setup sets the secret). */
function signed(identity: InternalIdentity = ANONYMOUS_IDENTITY): Record<string, string> {
  return signInternalCredential(process.env.INTERNAL_AUTH_SECRET!, identity) as Record<string, string>;
}

@Public()
@Controller('notes')
class NotesController {
  @Get('slow')
  async slow(): Promise<{ done: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: true };
  }

  @Get('whoami')
  whoami(): Record<string, unknown> {
    const context = currentContext();
    return { tenantId: context?.tenantId, userId: context?.userId, roles: context?.roles, teamIds: context?.teamIds };
  }

  @Get('tenant')
  tenant(): { tenantId: string } {
    return { tenantId: requireTenantId() };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret connection string postgres://crm:hunter2@db');
  }

  @Post()
  create(@Body() note: NoteDto): NoteDto {
    return note;
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

describe('createService', () => {
  let running: RunningService;

  beforeAll(async () => {
    running = await createService(
      { name: 'notes', defaultPort: 0, module: NotesModule, version: '2.1.0' },
      { host: '127.0.0.1', port: 0, env: { LOG_LEVEL: 'silent', HTTP_BODY_LIMIT_BYTES: '1024', SHUTDOWN_TIMEOUT_MS: '2000' } },
    );
  });

  afterAll(() => running.close());

  it('serves the service under /api/v1 and probes and metrics outside it', async () => {
    await request(running.url).post('/api/v1/notes').set(signed()).send({ text: 'hello' }).expect(201, { text: 'hello' });
    await request(running.url).get('/health/live').expect(200, { status: 'up' });
    await request(running.url).get('/health/ready').expect(200, { status: 'up', checks: {} });
    await request(running.url).get('/metrics').expect(200).expect('content-type', /text\/plain/);
    await request(running.url).get('/api/v1/health/live').set(signed()).expect(404);
  });

  it('publishes its OpenAPI document without the probes', async () => {
    const { body } = await request(running.url).get('/api/docs-json').expect(200);

    expect(body.info).toMatchObject({ title: 'notes', version: '2.1.0' });
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/v1/notes', '/api/v1/notes/slow']));
    expect(Object.keys(body.paths).filter((path) => path.startsWith('/health') || path === '/metrics')).toEqual([]);
    expect(Object.keys(body.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    await request(running.url).get('/api/docs').set(signed()).expect(200).expect('content-type', /text\/html/);
  });

  it('puts the identity headers into the request context', async () => {
    const response = await request(running.url)
      .get('/api/v1/notes/whoami')
      .set(signed({ tenantId: 't-1', userId: 'u-1', roles: ['rep', 'manager'], teamIds: ['north'] }))
      .expect(200);

    expect(response.body).toEqual({ tenantId: 't-1', userId: 'u-1', roles: ['rep', 'manager'], teamIds: ['north'] });
  });

  it('answers a tenant-scoped call without a tenant with 401', async () => {
    const response = await request(running.url).get('/api/v1/notes/tenant').set(signed()).expect(401);

    expect(response.body).toMatchObject({ code: 'tenant_required' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const response = await request(running.url).get('/api/v1/notes/boom').set(signed()).set('x-request-id', 'boom-1').expect(500);

    expect(response.body).toEqual({
      type: 'urn:crm:problem:internal_error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      instance: '/api/v1/notes/boom',
      code: 'internal_error',
      requestId: 'boom-1',
    });
  });

  it('answers oversized bodies with 413 problem details', async () => {
    const response = await request(running.url).post('/api/v1/notes').set(signed()).send({ text: 'x'.repeat(2048) }).expect(413);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'payload_too_large', detail: 'The request body exceeds the limit of 1024 bytes' });
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    const running = await createService(
      { name: 'notes', defaultPort: 0, module: NotesModule },
      { host: '127.0.0.1', port: 0, env: { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '5000' } },
    );
    const inFlight = request(running.url).get('/api/v1/notes/slow').set(signed());
    const pending = inFlight.then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const startedAt = Date.now();
    await running.close();

    expect((await pending).body).toEqual({ done: true });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await expect(request(running.url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts off requests still running after the shutdown timeout', async () => {
    const running = await createService(
      { name: 'notes', defaultPort: 0, module: NotesModule },
      { host: '127.0.0.1', port: 0, env: { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '50' } },
    );
    const pending = request(running.url)
      .get('/api/v1/notes/slow')
      .set(signed())
      .then(
        () => 'answered',
        () => 'cut off',
      );
    await new Promise((resolve) => setTimeout(resolve, 100));

    await running.close();

    await expect(pending).resolves.toBe('cut off');
  });
});
