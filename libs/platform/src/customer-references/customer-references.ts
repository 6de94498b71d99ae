import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '../database/modifying-query';
import { PoisonMessageError } from '../messaging/dead-letter';
import type { ReceivedEvent } from '../messaging/envelope';
import { isUuid } from '../api/ids';
import { withTenant } from '../database/tenant-scope';

/*
 * A service's rows that point at a customer by `customer_id` follow the customers service's merges: a
 * merge re-points them to the survivor and undoing it moves exactly those rows back, remembered in the
 * service's `customer_merge_repoints (tenant_id, merge_id, table_name, row_id, from_customer_id)`.
 * Each service names its referencing tables (each with a uuid `id` and a `tenant_id`).
 */

/** Moves every row of the merged customers to the survivor and remembers which, for an undo. Repeating it moves nothing more. */
export async function repointCustomerReferences(
  manager: EntityManager,
  tables: readonly string[],
  merge: { tenantId: string; mergeId: string; survivorId: string; mergedIds: readonly string[] },
): Promise<number> {
  let moved = 0;
  for (const table of tables) {
    const rows: Array<{ id: string }> = await manager.query(
      `WITH moved AS (
         UPDATE ${table} t SET customer_id = $3
           FROM (SELECT id, customer_id FROM ${table} WHERE tenant_id = $1 AND customer_id = ANY($4::uuid[]) FOR UPDATE) old
          WHERE t.id = old.id
          RETURNING t.id, old.customer_id AS from_customer_id
       )
       INSERT INTO customer_merge_repoints (tenant_id, merge_id, table_name, row_id, from_customer_id)
         SELECT $1, $2, '${table}', id, from_customer_id FROM moved
       ON CONFLICT DO NOTHING
       RETURNING row_id AS id`,
      [merge.tenantId, merge.mergeId, merge.survivorId, [...merge.mergedIds]],
    );
    moved += rows.length;
  }
  return moved;
}

/** Moves back what `repointCustomerReferences` moved for this merge (rows since given to another customer stay where they are). */
export async function restoreCustomerReferences(manager: EntityManager, tables: readonly string[], tenantId: string, mergeId: string, survivorId: string): Promise<number> {
  let restored = 0;
  for (const table of tables) {
    const rows = await modifyingQuery(
      manager,
      `UPDATE ${table} t SET customer_id = r.from_customer_id
         FROM customer_merge_repoints r
        WHERE r.tenant_id = $1 AND r.merge_id = $2 AND r.table_name = '${table}' AND t.id = r.row_id AND t.customer_id = $3
        RETURNING t.id`,
      [tenantId, mergeId, survivorId],
    );
    restored += rows.length;
  }
  await manager.query(`DELETE FROM customer_merge_repoints WHERE tenant_id = $1 AND merge_id = $2`, [tenantId, mergeId]);
  return restored;
}

/** What every customers.customer.v1 event carries. */
export interface AnyCustomerEvent {
  tenantId: string;
  customerId: string;
  version: bigint;
}

/**
 * Checks a customer event's envelope against its payload and sets the tenant for row-level security on
 * the consumer's transaction; a mismatch or a malformed id is a poison message.
 */
export async function openCustomerEvent(event: ReceivedEvent<AnyCustomerEvent>, manager: EntityManager): Promise<{ tenantId: string; customerId: string; version: number }> {
  const { data } = event;
  if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`customer event for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
  if (!isUuid(data.customerId)) throw new PoisonMessageError(`customer event without a valid customer id (${JSON.stringify(data.customerId)})`);
  await withTenant(manager, data.tenantId);
  return { tenantId: data.tenantId, customerId: data.customerId.toLowerCase(), version: Number(data.version) };
}

/** The merge id and merged customer ids of a CustomerMerged event, checked; a malformed one is a poison message. */
export function mergedCustomersOf(merge: { mergeId: string; mergedCustomerIds: readonly string[] }, survivorId: string): { mergeId: string; mergedIds: string[] } {
  if (!isUuid(merge.mergeId)) throw new PoisonMessageError(`merge of ${survivorId} without a valid mergeId`);
  const mergedIds = merge.mergedCustomerIds.map((id, index) => {
    if (!isUuid(id)) throw new PoisonMessageError(`merge ${merge.mergeId}: mergedCustomerIds[${index}] is not a customer id`);
    return id.toLowerCase();
  });
  return { mergeId: merge.mergeId.toLowerCase(), mergedIds };
}

/** An owner id from an event: empty means none; anything but a uuid is a poison message. */
export function ownerIdOf(customerId: string, ownerId: string): string | null {
  if (ownerId === '') return null;
  if (!isUuid(ownerId)) throw new PoisonMessageError(`customer ${customerId}: ownerId ${JSON.stringify(ownerId)} is not a user id`);
  return ownerId;
}

/** Contact keys of a customer read model: one namespace for normalised phones and e-mails. */
export function phoneKey(phone: string): string {
  return `p:${phone}`;
}
export function emailKey(email: string): string {
  return `e:${email}`;
}
