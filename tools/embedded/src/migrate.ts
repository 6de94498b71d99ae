import 'reflect-metadata';
import { createDataSource, runMigrations } from '@crm/platform/database';
import { findService } from './discover-services';

/**
 * `npm run migrate -- <service>`: applies a service's pending migrations to DATABASE_URL and exits.
 * The explicit step for distributed deployments (a Kubernetes Job or a compose one-shot).
 */
async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!name || !url) {
    console.error('usage: DATABASE_URL=postgres://... npm run migrate -- <service>');
    process.exit(2);
  }
  const service = findService(name);
  if (!service.database) {
    console.log(`${name} owns no database: nothing to migrate`);
    return;
  }
  const dataSource = createDataSource({ serviceName: name, url, migrations: service.database.migrations });
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `${name}: applied ${applied.join(', ')}` : `${name}: schema is up to date`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
