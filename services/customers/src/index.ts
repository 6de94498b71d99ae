import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { CustomersEnv } from './config/customers.env';
import { CustomersModule } from './customers.module';
import { CUSTOMERS_ENTITIES, CUSTOMERS_MIGRATIONS } from './database/schema';

export { CustomersEnv } from './config/customers.env';

/** Customer records (person or company), custom fields and personal data protection. */
export const service: ServiceDefinition = {
  name: 'customers',
  defaultPort: 3002,
  module: CustomersModule,
  config: CustomersEnv,
  database: { migrations: CUSTOMERS_MIGRATIONS, entities: CUSTOMERS_ENTITIES },
  resources: ['customers', 'custom-fields'],
};
