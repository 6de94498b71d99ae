import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { SalesEnv } from './config/sales.env';
import { SALES_ENTITIES, SALES_MIGRATIONS } from './database/schema';
import { SalesModule } from './sales.module';

export { SalesEnv } from './config/sales.env';

/** Lead to cash: leads, pipelines and opportunities, orders, contracts and payments, activities and plans, partners. */
export const service: ServiceDefinition = {
  name: 'sales',
  defaultPort: 3003,
  module: SalesModule,
  config: SalesEnv,
  database: { migrations: SALES_MIGRATIONS, entities: SALES_ENTITIES },
  resources: [
    'leads',
    'lead-forms',
    'opportunities',
    'pipelines',
    'products',
    'orders',
    'contracts',
    'activities',
    'plans',
    'quotas',
    'partners',
    'templates',
    'exchange-rates',
    'sales-settings',
    'automation-rules',
    'handovers',
    'users/*/handover',
    'public/forms',
    'reports/funnel',
    'reports/forecast',
    'reports/payment-forecast',
    'reports/sales',
    'reports/process',
    'reports/partners',
  ],
};
