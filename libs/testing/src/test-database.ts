import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureServiceDatabase, runMigrations, type DataSourceOptions } from '@crm/platform/database';
import { ADMIN_URL_ENV } from './jest/shared-server';

export interface TestDatabase {
  /**
   * Connects as the database's own login role, which owns it but is no superuser: row-level security
   * applies to it exactly as to a service in production (superusers bypass RLS).
   */
  url: string;
  /** Superuser URL of the same database, for set-up or inspection a service could not do itself. */
  adminUrl: string;
  /** Name of the database and of its owning role. */
  name: string;
  drop(): Promise<void>;
}

/** Superuser URL of the run's shared server (its `postgres` database). */
export function testAdminUrl(): string {
  const url = process.env[ADMIN_URL_ENV] ?? process.env.DATABASE_URL;
  if (!url) throw new Error(`no test PostgreSQL: run through jest (its global setup starts one) or set DATABASE_URL`);
  return url;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database on the run's shared server, owned by a login role of the same name, as
 * `ensureServiceDatabase` sets up each service's: suites never see each other's rows.
 */
export async function createTestDatabase(label = 'suite'): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const url = await ensureServiceDatabase(testAdminUrl(), name, randomBytes(18).toString('base64url'));
  const adminUrl = new URL(testAdminUrl());
  adminUrl.pathname = `/${name}`;
  return {
    url,
    adminUrl: adminUrl.toString(),
    name,
    drop: () =>
      withAdmin(async (client) => {
        const identifier = client.escapeIdentifier(name);
        await client.query(`DROP DATABASE IF EXISTS ${identifier} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${identifier}`);
      }),
  };
}

/** A fresh database with the platform tables and the given migrations applied, plus its DataSource. */
export async function createMigratedDataSource(
  label: string,
  options: Omit<DataSourceOptions, 'url' | 'serviceName'> & { serviceName?: string } = {},
): Promise<{ dataSource: DataSource; database: TestDatabase; close(): Promise<void> }> {
  const database = await createTestDatabase(label);
  const dataSource = createDataSource({ serviceName: options.serviceName ?? label, url: database.url, ...options });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return {
    dataSource,
    database,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
