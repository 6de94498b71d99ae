import { BaseServiceEnv, EnvInteger } from '@crm/platform/config';

/** Sales' settings on top of the platform's; every one is validated at start-up. Tenant rules live in the database, not here. */
export class SalesEnv extends BaseServiceEnv {
  /** Schedulers (rotting opportunities, renewal reminders, unassigned leads, …): seconds between two runs; 0 runs none. */
  @EnvInteger({ min: 0, max: 86_400 })
  SALES_SCHEDULER_INTERVAL_SECONDS = 60;
}
