export * from './test-database';
export * from './kafka';
export * from './internal-credential';
export { ADMIN_URL_ENV } from './jest/shared-server';
export * from './service-harness';
export * from './event-fixtures';
