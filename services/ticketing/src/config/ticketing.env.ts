import { BaseServiceEnv, EnvInteger } from '@crm/platform/config';

/** Ticketing's settings on top of the platform's; every one is validated at start-up. Tenant rules (routing, SLA, calendars) live in the database. */
export class TicketingEnv extends BaseServiceEnv {
  /** Schedulers (SLA warnings and breaches, …): seconds between two runs; 0 runs none. */
  @EnvInteger({ min: 0, max: 86_400 })
  TICKETING_SCHEDULER_INTERVAL_SECONDS = 30;
}
