import type { DynamicModule, Type } from '@nestjs/common';
import type { EventTransport } from '../messaging/transport';

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
  };
  /** Public resources this service owns under /api/v1 (first path segment), used by the gateway route table. */
  resources?: string[];
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
}
