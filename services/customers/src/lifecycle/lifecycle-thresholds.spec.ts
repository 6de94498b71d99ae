import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@crm/platform/config';
import { CustomersEnv } from '../config/customers.env';
import { lifecycleThresholds } from './lifecycle-thresholds';

const env = (extra: Record<string, string> = {}) =>
  loadConfig(CustomersEnv, { INTERNAL_AUTH_SECRET: 's'.repeat(32), CUSTOMERS_PII_KEY: randomBytes(32).toString('base64'), ...extra }, 'customers');

describe('lifecycleThresholds', () => {
  it('defaults to dormant after 180 days and churned after 365', () => {
    expect(lifecycleThresholds(env())).toEqual({ dormantAfterDays: 180, churnedAfterDays: 365 });
  });

  it('refuses churned days that do not come after the dormant ones', () => {
    expect(() => lifecycleThresholds(env({ CUSTOMERS_DORMANT_AFTER_DAYS: '90', CUSTOMERS_CHURNED_AFTER_DAYS: '90' }))).toThrow(ConfigError);
    expect(() => lifecycleThresholds(env({ CUSTOMERS_DORMANT_AFTER_DAYS: '90', CUSTOMERS_CHURNED_AFTER_DAYS: '90' }))).toThrow('CUSTOMERS_CHURNED_AFTER_DAYS must be more than CUSTOMERS_DORMANT_AFTER_DAYS (90)');
  });
});
