import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@crm/platform/config';
import { CustomersEnv } from './customers.env';

const BASE = { INTERNAL_AUTH_SECRET: 's'.repeat(32) };

function failure(env: Record<string, string>): string {
  try {
    loadConfig(CustomersEnv, env, 'customers');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('CustomersEnv', () => {
  it('needs a PII key in every environment, development included', () => {
    expect(failure({ ...BASE, NODE_ENV: 'development' })).toContain('CUSTOMERS_PII_KEY must be 32 random bytes, base64 or hex encoded');
  });

  it('refuses a key that is not 32 bytes, without echoing it', () => {
    const message = failure({ ...BASE, CUSTOMERS_PII_KEY: 'correct horse battery staple', CUSTOMERS_PII_KEY_PREVIOUS: 'abcd' });

    expect(message).toContain('CUSTOMERS_PII_KEY must be 32 random bytes');
    expect(message).toContain('CUSTOMERS_PII_KEY_PREVIOUS must be 32 random bytes');
    expect(message).not.toContain('horse');
  });

  it('accepts base64 and hex keys', () => {
    expect(loadConfig(CustomersEnv, { ...BASE, CUSTOMERS_PII_KEY: randomBytes(32).toString('base64') })).toMatchObject({ CUSTOMERS_PII_KEY: expect.any(String) });
    expect(loadConfig(CustomersEnv, { ...BASE, CUSTOMERS_PII_KEY: randomBytes(32).toString('hex'), CUSTOMERS_PII_KEY_PREVIOUS: randomBytes(32).toString('hex') })).toBeDefined();
  });
});
