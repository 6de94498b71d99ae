import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations, type DataSourceOptions } from '@crm/platform/database';
import { ADMIN_URL_ENV } from './jest/shared-server';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env[ADMIN_URL_ENV] ?? process.env.DATABASE_URL;
  if (!url) throw new Error(`no test PostgreSQL: run through jest (its global setup starts one) or set DATABASE_URL`);
  return url;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the run's shared server: suites never see each other's rows. */
export async function createTestDatabase(label = 'suite'): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
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
