import type { DynamicModule, Type } from '@nestjs/common';
import type { BaseServiceEnv } from '../config/base-service-env';
import { ConfigError } from '../config/config-error';
import type { EnvSource } from '../config/load-config';
import type { ServiceDefinition, ServiceRuntimeOptions } from './service-definition';

/**
 * Database, messaging and Idempotency-Key support for services that own a database. Loaded on demand so a service without one
 * (the gateway) never loads TypeORM, pg or the Kafka client.
 */
export async function persistenceModules(
  definition: ServiceDefinition,
  config: BaseServiceEnv,
  env: EnvSource,
  runtime: ServiceRuntimeOptions,
): Promise<Array<DynamicModule | Type<unknown>>> {
  if (!definition.database) return [];
  const url = runtime.databaseUrl ?? config.DATABASE_URL;
  if (!url) {
    throw new ConfigError(definition.name, [{ variable: 'DATABASE_URL', reason: 'must be set because the service owns a database (not set)' }]);
  }
  const [{ DatabaseModule }, { MessagingModule, createTransportFromEnv }, { IdempotencyModule }] = await Promise.all([
    import('../database'),
    import('../messaging'),
    import('../idempotency'),
  ]);
  return [
    DatabaseModule.forRoot({
      serviceName: definition.name,
      url,
      migrations: definition.database.migrations,
      entities: definition.database.entities,
      runMigrations: config.MIGRATE_ON_START || runtime.runMigrations === true,
    }),
    MessagingModule.forRoot({
      serviceName: definition.name,
      transport: runtime.transport ?? createTransportFromEnv(definition.name, env),
      // A transport handed in by the embedded runner is shared; only one built here is ours to stop.
      ownsTransport: runtime.transport === undefined,
    }),
    // Idempotency keys live in the service's database, so only services with one honour the header.
    IdempotencyModule,
  ];
}
