import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { CustomersEnv } from './config/customers.env';
import { CustomersModule } from './customers.module';
import { CUSTOMERS_ENTITIES, CUSTOMERS_MIGRATIONS } from './database/schema';

export { CustomersEnv } from './config/customers.env';
/** A realistic import file and what importing it comes to, for the import benchmark. */
export { sampleImport, SAMPLE_IMPORT_HEADER, SAMPLE_IMPORT_MAPPING, type SampleImportTruth } from './imports/sample-import';

/** Customer records (person or company), custom fields and personal data protection. */
export const service: ServiceDefinition = {
  name: 'customers',
  defaultPort: 3002,
  module: CustomersModule,
  config: CustomersEnv,
  database: { migrations: CUSTOMERS_MIGRATIONS, entities: CUSTOMERS_ENTITIES },
  resources: ['customers', 'custom-fields'],
};
