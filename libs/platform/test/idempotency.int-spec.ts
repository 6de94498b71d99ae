import { randomUUID } from 'node:crypto';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { signInternalCredential } from '../src/auth/internal-credential';
import { createService, type RunningService } from '../src/bootstrap/create-service';
import { ConflictError } from '../src/errors/standard-errors';
import { IDEMPOTENT_REPLAYED_HEADER } from '../src/idempotency';

class OrderDto {
  @ApiProperty()
  @IsString()
  item!: string;
}

/** Counts how often each write really ran. */
const runs = { orders: 0, refused: 0 };

@Controller('orders')
class OrdersController {
  @Post()
  place(@Body() order: OrderDto): { item: string; run: number } {
    runs.orders += 1;
    return { item: order.item, run: runs.orders };
  }

  @Post('refused')
  refuse(): never {
    runs.refused += 1;
    throw new ConflictError('refused');
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

describe('Idempotency-Key', () => {
  let database: TestDatabase;
  let running: RunningService;
  const tenantId = randomUUID();
  const headers = (tenant = tenantId) => signInternalCredential(process.env.INTERNAL_AUTH_SECRET!, { tenantId: tenant, userId: randomUUID(), roles: ['admin'], teamIds: [] }) as Record<string, string>;
  const post = (path: string, key: string | undefined, body: unknown, tenant = tenantId) => {
    const call = request(running.url).post(`/api/v1${path}`).set(headers(tenant));
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body as object);
  };

  beforeAll(async () => {
    database = await createTestDatabase('platform_idempotency');
    running = await createService(
      { name: 'orders', defaultPort: 0, module: OrdersModule, database: { migrations: [] } },
      { host: '127.0.0.1', port: 0, databaseUrl: database.url, runMigrations: true, env: { LOG_LEVEL: 'silent', EVENT_TRANSPORT: 'in-process', SHUTDOWN_TIMEOUT_MS: '1000' } },
    );
  });

  afterAll(async () => {
    await running?.close();
    await database?.drop();
  });

  it('runs a write once and replays its answer to a retry with the same key', async () => {
    const key = randomUUID();
    const first = await post('/orders', key, { item: '茶叶' }).expect(201);
    const retry = await post('/orders', key, { item: '茶叶' }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(first.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(runs.orders).toBe(first.body.run);
  });

  it('refuses the same key for a different request', async () => {
    const key = randomUUID();
    await post('/orders', key, { item: 'A' }).expect(201);
    const reused = await post('/orders', key, { item: 'B' }).expect(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('keeps keys per tenant, and leaves writes without a key alone', async () => {
    const key = randomUUID();
    const before = runs.orders;
    await post('/orders', key, { item: 'A' }).expect(201);
    await post('/orders', key, { item: 'A' }, randomUUID()).expect(201);
    await post('/orders', undefined, { item: 'A' }).expect(201);
    await post('/orders', undefined, { item: 'A' }).expect(201);
    expect(runs.orders - before).toBe(4);
  });

  it('frees the key of a failed request, so a retry runs again', async () => {
    const key = randomUUID();
    await post('/orders/refused', key, {}).expect(409);
    await post('/orders/refused', key, {}).expect(409);
    expect(runs.refused).toBe(2);
  });

  it('rejects a malformed key with a problem', async () => {
    const bad = await post('/orders', 'x'.repeat(256), { item: 'A' }).expect(422);
    expect(bad.body.code).toBe('invalid_idempotency_key');
  });
});
