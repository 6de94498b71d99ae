import os from 'node:os';
import path from 'node:path';
import { BaseServiceEnv, EnvInteger, EnvText } from '@crm/platform/config';
import { IsOptional, Matches, registerDecorator } from 'class-validator';
import { parsePiiKey } from '../pii/pii-key';

const PII_KEY_RULE = 'must be 32 random bytes, base64 or hex encoded (generate one with `openssl rand -base64 32`)';

/** A 32-byte AES key, base64 or hex; the message never echoes the value (loadConfig hides *_KEY too). */
function IsPiiKey(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPiiKey',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: { validate: (value: unknown) => typeof value === 'string' && parsePiiKey(value) !== undefined, defaultMessage: () => PII_KEY_RULE },
    });
}

/** Customers' settings on top of the platform's; every one is validated at start-up. */
export class CustomersEnv extends BaseServiceEnv {
  /**
   * Encrypts national ID and bank account numbers at rest (AES-256-GCM). Required in every
   * environment: data written with one key cannot be read without it, so it must be stored as
   * carefully as the database backups (`npm start` keeps one in `.data/secrets.json`).
   */
  @IsPiiKey()
  CUSTOMERS_PII_KEY!: string;

  /** The key before the last rotation: values it encrypted still decrypt; new values use CUSTOMERS_PII_KEY. */
  @IsOptional()
  @IsPiiKey()
  CUSTOMERS_PII_KEY_PREVIOUS?: string;

  /** Duplicate detection: how similar (percent, pg_trgm / character similarity) two names must be for a candidate pair. */
  @EnvInteger({ min: 1, max: 100 })
  CUSTOMERS_DUPLICATE_NAME_SIMILARITY_PERCENT = 60;

  /**
   * Imports: where uploaded files are kept until their job has finished. Several replicas need a shared
   * volume here, or a job interrupted while reading its file fails instead of resuming elsewhere.
   */
  @EnvText()
  CUSTOMERS_IMPORT_DIR = path.join(os.tmpdir(), 'crm-customer-imports');

  /** Imports: largest file accepted (413 above); 512 MiB holds well over a million rows. */
  @EnvInteger({ min: 1_024, max: 17_179_869_184 })
  CUSTOMERS_IMPORT_MAX_BYTES = 536_870_912;

  /** Imports: rows applied per transaction; a restart resumes after the last committed chunk. */
  @EnvInteger({ min: 10, max: 100_000 })
  CUSTOMERS_IMPORT_CHUNK_ROWS = 20_000;

  /** Imports: chunks applied at the same time (database connections one job uses while applying). */
  @EnvInteger({ min: 1, max: 8 })
  CUSTOMERS_IMPORT_APPLY_CONCURRENCY = 2;

  /** Lifecycle: days without an order (or a stage set by hand) after which a new or active customer is dormant. */
  @EnvInteger({ min: 1, max: 3_650 })
  CUSTOMERS_DORMANT_AFTER_DAYS = 180;

  /** Lifecycle: days without an order (or a stage set by hand) after which a customer is churned; more than the dormant days. */
  @EnvInteger({ min: 2, max: 3_650 })
  CUSTOMERS_CHURNED_AFTER_DAYS = 365;

  /** Lifecycle: minutes between two sweeps that move customers to dormant and churned; 0 runs none. */
  @EnvInteger({ min: 0, max: 10_080 })
  CUSTOMERS_LIFECYCLE_SWEEP_MINUTES = 60;

  /**
   * Privacy: the services that must confirm an erasure (their ErasureCompleted on `<service>.privacy.v1`)
   * before a request is completed, comma-separated. The default is every service that honours erasures
   * today; each new one adds itself (and its answer's contract to ERASURE_ANSWER_CONTRACTS). A
   * deployment without one of them lists the others only, or its erasures show that service overdue.
   */
  @Matches(/^\s*([a-z]+(\s*,\s*[a-z]+)*)?\s*$/, { message: 'must be a comma-separated list of service names such as sales,ticketing' })
  CUSTOMERS_PRIVACY_PARTICIPANTS = 'sales';

  /** Privacy: hours a service has to confirm an erasure (or the gateway to deliver an export) before the request shows it as overdue. */
  @EnvInteger({ min: 1, max: 8_760 })
  CUSTOMERS_PRIVACY_OVERDUE_AFTER_HOURS = 72;
}
