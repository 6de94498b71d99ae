import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '@crm/platform/database';

/**
 * Every sales table whose rows point at a customer, by `customer_id`. A customer merge re-points them
 * to the survivor and undoing it moves exactly those rows back; a table that starts holding customer
 * ids is added here (its rows need a uuid `id` and a `tenant_id`).
 */
export const CUSTOMER_REFERENCING_TABLES: readonly string[] = ['activities', 'rep_plan_items', 'opportunities', 'orders', 'contracts', 'leads'];

/** Re-points a merged customer's records to the survivor, and back when the merge is undone. */
@Injectable()
export class CustomerReferences {
  /** Moves every row of the merged customers to the survivor and remembers which, for an undo. Repeating it moves nothing more. */
  async repoint(manager: EntityManager, tenantId: string, mergeId: string, survivorId: string, mergedIds: readonly string[]): Promise<number> {
    let moved = 0;
    for (const table of CUSTOMER_REFERENCING_TABLES) {
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
        [tenantId, mergeId, survivorId, [...mergedIds]],
      );
      moved += rows.length;
    }
    return moved;
  }

  /** Moves back what `repoint` moved for this merge (rows since given to another customer stay where they are). */
  async restore(manager: EntityManager, tenantId: string, mergeId: string, survivorId: string): Promise<number> {
    let restored = 0;
    for (const table of CUSTOMER_REFERENCING_TABLES) {
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
}
