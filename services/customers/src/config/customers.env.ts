import { BaseServiceEnv, EnvInteger } from '@crm/platform/config';
import { IsOptional, registerDecorator } from 'class-validator';
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
}
