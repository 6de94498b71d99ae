import { CustomFieldDefinitionEntity } from '../custom-fields/custom-field-definition.entity';
import { CustomerEntity } from '../customers/customer.entity';
import { PiiAccessEntity } from '../pii/pii-access.entity';
import { UserEntity } from '../users/user.entity';
import { CustomersTables1733000000000 } from './migrations/1733000000000-customers-tables';
import { CustomerDuplicates1734000000000 } from './migrations/1734000000000-customer-duplicates';

/** Customers' tables, in the order its migrations create them. */
export const CUSTOMERS_ENTITIES = [UserEntity, CustomerEntity, CustomFieldDefinitionEntity, PiiAccessEntity];

export const CUSTOMERS_MIGRATIONS = [CustomersTables1733000000000, CustomerDuplicates1734000000000];
