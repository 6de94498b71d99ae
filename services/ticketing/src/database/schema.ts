import { UserEntity } from '@crm/platform/users-read-model';
import { TicketingFoundation1750000000000 } from './migrations/1750000000000-ticketing-foundation';

/** Ticketing's TypeORM entities (tables read or written through the ORM; others are queried in SQL). */
export const TICKETING_ENTITIES = [UserEntity];

/** Ticketing's migrations in order; each part of the service adds its own after the foundation. */
export const TICKETING_MIGRATIONS = [TicketingFoundation1750000000000];
