import type { EntityManager } from 'typeorm';
import { CustomerEntity } from '../customers/customer.entity';

/**
 * A customer row as Postgres returned it (snake_case columns, values already typed by the driver) made
 * into the entity, through the entity's own column mapping; columns the entity does not know are left
 * out. Snapshots are read back this way (`jsonb_populate_record(NULL::customers, snapshot)`).
 */
export function customerFromRow(manager: EntityManager, row: Record<string, unknown>): CustomerEntity {
  const customer = {} as Record<string, unknown>;
  for (const column of manager.connection.getMetadata(CustomerEntity).columns) {
    if (column.databaseName in row) customer[column.propertyName] = row[column.databaseName];
  }
  return customer as unknown as CustomerEntity;
}
