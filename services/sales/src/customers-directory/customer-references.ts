import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { repointCustomerReferences, restoreCustomerReferences } from '@crm/platform/customer-references';

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
  repoint(manager: EntityManager, tenantId: string, mergeId: string, survivorId: string, mergedIds: readonly string[]): Promise<number> {
    return repointCustomerReferences(manager, CUSTOMER_REFERENCING_TABLES, { tenantId, mergeId, survivorId, mergedIds });
  }

  /** Moves back what `repoint` moved for this merge (rows since given to another customer stay where they are). */
  restore(manager: EntityManager, tenantId: string, mergeId: string, survivorId: string): Promise<number> {
    return restoreCustomerReferences(manager, CUSTOMER_REFERENCING_TABLES, tenantId, mergeId, survivorId);
  }
}
