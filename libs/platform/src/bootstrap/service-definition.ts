import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import type { EntitySchema } from 'typeorm';
import type { BaseServiceEnv } from '../config/base-service-env';
import type { EventTransport } from '../messaging/transport';
import type { RawHttpHandler } from './http-pipeline';
import type { OpenApiDocumentSource } from './openapi';

/**
 * Everything the platform needs to run a service, in its own process or inside the embedded runner.
 * Each service package exports one of these as `service` from its index.
 */
export interface ServiceDefinition {
  /** Short name: database, consumer group, log field, `ce_source` (`crm/<name>`). */
  name: string;
  /** Port used when PORT is not set (gateway 3000, services 3001+). */
  defaultPort: number;
  /** Root Nest module of the service. */
  module: Type<unknown> | DynamicModule;
  /** Present when the service owns a database; its migrations run before the service starts. */
  database?: {
    migrations: Array<Type<unknown>>;
    /** TypeORM entities (classes or schemas) of the service's own tables. */
    entities?: Array<Type<unknown> | EntitySchema>;
  };
  /** Public resources this service owns under /api/v1 (first path segment), used by the gateway route table. */
  resources?: string[];
  /** The service's validated environment (a subclass of BaseServiceEnv); BaseServiceEnv when absent. */
  config?: new () => BaseServiceEnv;
  /** `info.version` of the service's OpenAPI document; `1.0.0` when absent. */
  version?: string;
  /**
   * True for internal services: every request must carry the gateway's `x-internal-auth` credential
   * (else 401), and tenant, user, roles and teams are read from the identity headers it signs. False
   * for the gateway, which faces clients and never believes those headers. Defaults to true.
   */
  trustIdentityHeaders?: boolean;
  /**
   * A provider that sees every request before Express and Nest (but inside the request context, with
   * logging and metrics) and either answers it or passes it on: the gateway's streaming proxy.
   */
  rawHttpHandler?: Type<RawHttpHandler>;
  /** A provider that serves a different API document than the service's own (the gateway's merged one). */
  openApiSource?: Type<OpenApiDocumentSource>;
  /**
   * Runs once the service is up in embedded mode (`npm start`), e.g. identity creating the first tenant
   * and admin on an empty database. Returns lines for the runner to print to the operator.
   */
  embeddedSetup?: (app: INestApplicationContext, env: Readonly<Record<string, string | undefined>>) => Promise<string[]>;
}

/** How one instance is wired when it starts. Everything has an environment-variable default. */
export interface ServiceRuntimeOptions {
  port?: number;
  host?: string;
  databaseUrl?: string;
  /** Event transport shared with other services in the same process (embedded mode). */
  transport?: EventTransport;
  /** Extra environment for this service's config, layered over process.env. */
  env?: Record<string, string | undefined>;
  /** Apply pending migrations at start-up even without MIGRATE_ON_START (the embedded runner does). */
  runMigrations?: boolean;
}
