import { CustomFieldDefinitionEntity } from '../custom-fields/custom-field-definition.entity';
import { CustomerEntity } from '../customers/customer.entity';
import { PiiAccessEntity } from '../pii/pii-access.entity';
import { UserEntity } from '@crm/platform/users-read-model';
import { CustomersTables1733000000000 } from './migrations/1733000000000-customers-tables';
import { CustomerDuplicates1734000000000 } from './migrations/1734000000000-customer-duplicates';
import { CustomerMerges1735000000000 } from './migrations/1735000000000-customer-merges';
import { CustomerImports1736000000000 } from './migrations/1736000000000-customer-imports';
import { CustomerProfiles1737000000000 } from './migrations/1737000000000-customer-profiles';
import { CustomerProfileEntity } from '../profile/customer-profile.entity';
import { TimelineEntryEntity } from '../timeline/timeline-entry.entity';
import { PrivacyRequests1738000000000 } from './migrations/1738000000000-privacy-requests';
import { CustomerSearchGinPendingList1739000000000 } from './migrations/1739000000000-customer-search-gin-pending-list';
import { UsersRolesSeniority1740000000000 } from './migrations/1740000000000-users-roles-seniority';
import { PrivacyRequestEntity } from '../privacy/privacy-request.entity';
import { PrivacyRequestServiceEntity } from '../privacy/privacy-request-service.entity';
import { CustomerPrivacySettingsEntity } from '../settings/privacy-settings.entity';

/** Customers' tables, in the order its migrations create them. */
export const CUSTOMERS_ENTITIES = [UserEntity, CustomerEntity, CustomFieldDefinitionEntity, PiiAccessEntity, PrivacyRequestEntity, PrivacyRequestServiceEntity, CustomerPrivacySettingsEntity, CustomerProfileEntity, TimelineEntryEntity];

export const CUSTOMERS_MIGRATIONS = [CustomersTables1733000000000, CustomerDuplicates1734000000000, CustomerMerges1735000000000, CustomerImports1736000000000, CustomerProfiles1737000000000, PrivacyRequests1738000000000, CustomerSearchGinPendingList1739000000000, UsersRolesSeniority1740000000000];
