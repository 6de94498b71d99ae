import { UserEntity } from '../users/user.entity';
import { SalesFoundation1740000000000 } from './migrations/1740000000000-sales-foundation';

/** Sales' TypeORM entities (tables read or written through the ORM; others are queried in SQL). */
export const SALES_ENTITIES = [UserEntity];

/** Sales' migrations in order; each part of the service adds its own after the foundation. */
export const SALES_MIGRATIONS = [SalesFoundation1740000000000];
