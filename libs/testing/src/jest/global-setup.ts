import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// Global setup runs outside jest's module mapper, before anything is built: import the source by path.
import { startEmbeddedPostgres } from '../../../platform/src/database/embedded-postgres';
import { kafkaAvailability } from '../kafka';
import { ADMIN_URL_ENV, setSharedServer } from './shared-server';

/**
 * A random INTERNAL_AUTH_SECRET unless one is set, and one PostgreSQL server for the whole test run: `DATABASE_URL` when given (CI may point at a real
 * server), else an embedded one in a temporary directory. Suites create their own databases on it.
 */
export default async function globalSetup(): Promise<void> {
  announceKafka();
  // Every service a test starts needs the gateway's shared secret; workers inherit this environment.
  process.env.INTERNAL_AUTH_SECRET ||= randomBytes(32).toString('base64url');
  if (process.env.DATABASE_URL) {
    process.env[ADMIN_URL_ENV] = process.env.DATABASE_URL;
    return;
  }
  const root = mkdtempSync(path.join(tmpdir(), 'crm-test-pg-'));
  // When running as root the server runs as the `postgres` OS user, which must reach its data dir.
  chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const server = await startEmbeddedPostgres({ dataDir, port: 0, ephemeral: true });
  setSharedServer(server);
  process.env[ADMIN_URL_ENV] = server.url();
}

/** Printed by the main jest process, so the reason Kafka suites are skipped is never lost. */
function announceKafka(): void {
  const kafka = kafkaAvailability();
  const line = kafka.available ? `Kafka suites: run against ${kafka.source === 'env' ? process.env.KAFKA_BROKERS : 'a Testcontainers broker'}` : `Kafka suites: SKIPPED — ${kafka.reason}`;
  process.stdout.write(`\n${line}\n`);
}
