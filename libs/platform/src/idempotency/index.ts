export * from './idempotency.errors';
export * from './idempotency.interceptor';
export * from './idempotency.module';
export * from './idempotency.store';
export { IdempotencyKeys1700000000001 } from './1700000000001-idempotency-keys';
