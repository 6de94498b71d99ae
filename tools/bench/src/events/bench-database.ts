import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@crm/platform/database';
import { ADMIN_URL_ENV } from '@crm/testing';

/** The bench's PostgreSQL: DATABASE_URL (a real server) when set, else a throwaway embedded one. */
export async function benchPostgres(): Promise<{ label: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    process.env[ADMIN_URL_ENV] = process.env.DATABASE_URL;
    return { label: 'DATABASE_URL', stop: async () => undefined };
  }
  const root = mkdtempSync(path.join(tmpdir(), 'crm-bench-pg-'));
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), port: 0, ephemeral: true });
  process.env[ADMIN_URL_ENV] = server.url();
  return {
    label: 'embedded',
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
