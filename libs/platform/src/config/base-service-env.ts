import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { EnvBoolean, EnvInteger, EnvPort } from './env-decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

export const INTERNAL_AUTH_SECRET_MIN_LENGTH = 32;
const INTERNAL_AUTH_SECRET_RULE =
  `must be the secret shared by the gateway and every service, at least ${INTERNAL_AUTH_SECRET_MIN_LENGTH} characters ` +
  '(generate one with `openssl rand -base64 48`)';

/**
 * What every service reads from its environment. A service with more settings extends this class and
 * sets `config` on its ServiceDefinition. Every variable needs at least one class-validator decorator:
 * that is also how `loadConfig` knows which variables to read.
 */
export class BaseServiceEnv {
  /** Falls back to the service's default port. */
  @IsOptional()
  @EnvPort()
  PORT?: number;

  @IsString({ message: 'must be a host name or IP address' })
  @IsNotEmpty({ message: 'must be a host name or IP address' })
  HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsIn(NODE_ENVIRONMENTS, { message: `must be one of ${NODE_ENVIRONMENTS.join(', ')}` })
  NODE_ENV: NodeEnvironment = 'development';

  /** Required by services that own a database, unless the embedded runner provides one. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Comma-separated `host:port` list; required by services that publish or consume events. */
  @IsOptional()
  @Matches(/^\s*[^\s,]+:\d+\s*(,\s*[^\s,]+:\d+\s*)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  /**
   * Shared by the gateway and every service: the gateway signs the identity it forwards with it and
   * services refuse requests that are not signed, so a service port reached directly is not an open door.
   */
  @IsString({ message: INTERNAL_AUTH_SECRET_RULE })
  @MinLength(INTERNAL_AUTH_SECRET_MIN_LENGTH, { message: INTERNAL_AUTH_SECRET_RULE })
  INTERNAL_AUTH_SECRET!: string;

  /** Apply pending migrations before serving (the embedded runner always does). */
  @EnvBoolean()
  MIGRATE_ON_START = false;

  /** How long a graceful shutdown waits for in-flight requests before closing connections. */
  @EnvInteger({ min: 0, max: 600_000 })
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Readiness never waits longer than this for one check. */
  @EnvInteger({ min: 1, max: 60_000 })
  HEALTH_CHECK_TIMEOUT_MS = 2_000;

  /** Largest JSON or form body accepted; bulk endpoints take up to 1,000 records. */
  @EnvInteger({ min: 1_024, max: 104_857_600 })
  HTTP_BODY_LIMIT_BYTES = 5_242_880;
}
