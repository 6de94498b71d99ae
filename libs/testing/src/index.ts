export * from './test-database';
export * from './kafka';
export { ADMIN_URL_ENV } from './jest/shared-server';
