import type { RunningPostgres } from '../../../platform/src/database/embedded-postgres';

/** Set by the global setup; read by suites (in worker processes) to create their databases. */
export const ADMIN_URL_ENV = 'CRM_TEST_ADMIN_DATABASE_URL';

const key = Symbol.for('crm.test.embedded-postgres');
type Holder = { [key]?: RunningPostgres };

export function setSharedServer(server: RunningPostgres): void {
  (globalThis as Holder)[key] = server;
}

export function takeSharedServer(): RunningPostgres | undefined {
  const server = (globalThis as Holder)[key];
  delete (globalThis as Holder)[key];
  return server;
}
