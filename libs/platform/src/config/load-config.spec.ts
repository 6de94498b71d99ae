import { IsOptional, IsString, IsUrl } from 'class-validator';
import { BaseServiceEnv } from './base-service-env';
import { ConfigError } from './config-error';
import { EnvInteger } from './env-decorators';
import { loadConfig } from './load-config';

class ExampleEnv extends BaseServiceEnv {
  @IsUrl({ require_tld: false }, { message: 'must be a URL' })
  UPSTREAM_URL!: string;

  @EnvInteger({ min: 1, max: 100 })
  BATCH_SIZE = 10;

  @IsOptional()
  @IsString()
  API_SECRET?: string;
}

/** Every service needs the gateway's shared secret; most cases here are about other variables. */
const SECRET = { INTERNAL_AUTH_SECRET: 's'.repeat(32) };

function errorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and converts numbers and booleans', () => {
    const config = loadConfig(BaseServiceEnv, { ...SECRET, PORT: '3005', MIGRATE_ON_START: 'TRUE' });

    expect(config).toMatchObject({
      PORT: 3005,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      MIGRATE_ON_START: true,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig(BaseServiceEnv, { ...SECRET, PORT: '', LOG_LEVEL: '' });

    expect(config.PORT).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('reads only the variables the class declares', () => {
    const config = loadConfig(BaseServiceEnv, { ...SECRET, PATH: '/usr/bin', HOME: '/root' });

    expect(Object.keys(config)).not.toContain('PATH');
  });

  it('names the service, the variable, the rule and the offending value', () => {
    const error = errorOf(() => loadConfig(BaseServiceEnv, { ...SECRET, PORT: 'abc' }, 'gateway'));

    expect(error.message).toBe('Invalid configuration for service "gateway": PORT must be an integer between 1 and 65535 (got "abc")');
  });

  it('reports every offending variable at once, including missing required ones', () => {
    const error = errorOf(() =>
      loadConfig(ExampleEnv, { ...SECRET, PORT: '70000', LOG_LEVEL: 'loud', BATCH_SIZE: '2.5', MIGRATE_ON_START: 'maybe' }, 'sales'),
    );

    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['BATCH_SIZE', 'LOG_LEVEL', 'MIGRATE_ON_START', 'PORT', 'UPSTREAM_URL']);
    expect(error.message).toContain('PORT must be an integer between 1 and 65535 (got "70000")');
    expect(error.message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(error.message).toContain('BATCH_SIZE must be an integer between 1 and 100 (got "2.5")');
    expect(error.message).toContain('MIGRATE_ON_START must be true or false (got "maybe")');
    expect(error.message).toContain('UPSTREAM_URL must be a URL (not set)');
  });

  it('never echoes secrets or URL passwords', () => {
    const error = errorOf(() =>
      loadConfig(ExampleEnv, { ...SECRET, UPSTREAM_URL: 'http://x', DATABASE_URL: 'mysql://crm:hunter2@db/crm', API_SECRET: '' }),
    );
    expect(error.message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://crm:***@db/crm")');
    expect(error.message).not.toContain('hunter2');

    class SecretEnv extends BaseServiceEnv {
      @EnvInteger({ min: 1, max: 2 })
      SIGNING_SECRET = 1;
    }
    const secretError = errorOf(() => loadConfig(SecretEnv, { ...SECRET, SIGNING_SECRET: 'topsecret' }));
    expect(secretError.message).toBe('Invalid configuration: SIGNING_SECRET must be an integer between 1 and 2 (value hidden)');
  });

  it('requires the internal auth secret, at least 32 characters, without echoing it', () => {
    const rule = 'INTERNAL_AUTH_SECRET must be the secret shared by the gateway and every service, at least 32 characters';

    expect(errorOf(() => loadConfig(BaseServiceEnv, {}, 'notes')).message).toContain(`${rule} (generate one with \`openssl rand -base64 48\`) (not set)`);
    const tooShort = errorOf(() => loadConfig(BaseServiceEnv, { INTERNAL_AUTH_SECRET: 'hunter2-but-longer' }));
    expect(tooShort.message).toContain(`${rule} (generate one with \`openssl rand -base64 48\`) (value hidden)`);
    expect(tooShort.message).not.toContain('hunter2');
    expect(loadConfig(BaseServiceEnv, SECRET).INTERNAL_AUTH_SECRET).toBe(SECRET.INTERNAL_AUTH_SECRET);
  });

  it('returns a frozen instance of the env class', () => {
    const config = loadConfig(ExampleEnv, { ...SECRET, UPSTREAM_URL: 'http://127.0.0.1:3001' });

    expect(config).toBeInstanceOf(ExampleEnv);
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.BATCH_SIZE).toBe(10);
  });
});
