import { UserEntity } from '@crm/platform/users-read-model';
import { SalesFoundation1740000000000 } from './migrations/1740000000000-sales-foundation';
import { Leads1741000000000 } from './migrations/1741000000000-leads';
import { LeadEntity } from '../leads/lead.entity';
import { Pipeline1742000000000 } from './migrations/1742000000000-pipeline';
import { OpportunityEntity } from '../opportunities/opportunity.entity';
import { OrderToCash1743000000000 } from './migrations/1743000000000-order-to-cash';
import { SalesWork1744000000000 } from './migrations/1744000000000-work';
import { Automation1745000000000 } from './migrations/1745000000000-automation';
import { PaymentForecastRollup1746000000000 } from './migrations/1746000000000-payment-forecast-rollup';
import { FunnelOwnerRollup1747000000000 } from './migrations/1747000000000-funnel-owner-rollup';

/** Sales' TypeORM entities (tables read or written through the ORM; others are queried in SQL). */
export const SALES_ENTITIES = [UserEntity, LeadEntity, OpportunityEntity];

/** Sales' migrations in order; each part of the service adds its own after the foundation. */
export const SALES_MIGRATIONS = [SalesFoundation1740000000000, Leads1741000000000, Pipeline1742000000000, OrderToCash1743000000000, SalesWork1744000000000, Automation1745000000000, PaymentForecastRollup1746000000000, FunnelOwnerRollup1747000000000];
