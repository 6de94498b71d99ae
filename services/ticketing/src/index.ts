import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { TicketingEnv } from './config/ticketing.env';
import { TICKETING_ENTITIES, TICKETING_MIGRATIONS } from './database/schema';
import { TicketingModule } from './ticketing.module';

export { TicketingEnv } from './config/ticketing.env';

/** The service desk: tickets from every channel, routing, SLAs on business calendars, knowledge base, CSAT. */
export const service: ServiceDefinition = {
  name: 'ticketing',
  defaultPort: 3004,
  module: TicketingModule,
  config: TicketingEnv,
  database: { migrations: TICKETING_MIGRATIONS, entities: TICKETING_ENTITIES },
  resources: ['tickets', 'ticket-types', 'calls', 'channels', 'routing-rules', 'agents', 'sla-policies', 'sla-calendars', 'kb', 'support-portal', 'public/tickets', 'public/kb', 'public/surveys', 'reports/sla', 'reports/csat'],
};
