import { ConfigError } from '@crm/platform/config';
import { CustomersEnv } from '../config/customers.env';
import type { LifecycleThresholds } from './lifecycle-rules';

/** The configured thresholds; churned must come after dormant, which one variable alone cannot check. */
export function lifecycleThresholds(config: CustomersEnv): LifecycleThresholds {
  const thresholds = { dormantAfterDays: config.CUSTOMERS_DORMANT_AFTER_DAYS, churnedAfterDays: config.CUSTOMERS_CHURNED_AFTER_DAYS };
  if (thresholds.churnedAfterDays <= thresholds.dormantAfterDays) {
    throw new ConfigError('customers', [
      { variable: 'CUSTOMERS_CHURNED_AFTER_DAYS', reason: `must be more than CUSTOMERS_DORMANT_AFTER_DAYS (${thresholds.dormantAfterDays})` },
    ]);
  }
  return thresholds;
}
