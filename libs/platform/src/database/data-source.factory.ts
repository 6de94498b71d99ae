import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { IdempotencyKeys1700000000001 } from '../idempotency/1700000000001-idempotency-keys';
import { MessagingTables1700000000000 } from '../messaging/migrations/1700000000000-messaging-tables';

export interface DataSourceOptions {
  serviceName: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
  poolSize?: number;
}

/** Platform tables (outbox, inbox, dead letters, idempotency keys) are part of every service database. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const PLATFORM_MIGRATIONS: Function[] = [MessagingTables1700000000000, IdempotencyKeys1700000000001];

/**
 * The one way to build a service's TypeORM data source. Schema changes happen only through
 * migrations; `synchronize` stays off.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities ?? [],
    migrations: [...PLATFORM_MIGRATIONS, ...(options.migrations ?? [])],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: `crm-${options.serviceName}`,
    poolSize: options.poolSize ?? 10,
    // JIT compilation pays off for long analytical scans, not for the short statements services run: a
    // duplicate check whose estimated cost crosses jit_above_cost spent 1.1 s compiling for a 15 ms query.
    extra: { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, options: '-c jit=off' },
  });
}

/**
 * Applies pending migrations. Replicas starting together (MIGRATE_ON_START) take turns on a session
 * advisory lock, so the second one finds nothing left to do instead of racing the first.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('crm.schema-migrations'))`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext('crm.schema-migrations'))`).catch(() => undefined);
    await lock.release();
  }
}
