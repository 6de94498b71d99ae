import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import { CustomerDirectoryRepository } from '../customers-directory/customer-directory.repository';

/** Sales records work can point at, by the field that names them. */
export interface RecordLinks {
  customerId?: string | null;
  leadId?: string | null;
  opportunityId?: string | null;
  contractId?: string | null;
  orderId?: string | null;
}

const TABLES: ReadonlyArray<[keyof RecordLinks, string]> = [
  ['leadId', 'leads'],
  ['opportunityId', 'opportunities'],
  ['contractId', 'contracts'],
  ['orderId', 'orders'],
];

/**
 * Checks the records an activity or a plan item links to: the customer must be live in the customer
 * directory; leads, opportunities, contracts and orders must exist in the tenant.
 */
@Injectable()
export class RecordLinkChecker {
  constructor(private readonly directory: CustomerDirectoryRepository) {}

  /** The first link that does not resolve, as [field, id]; null when all do. */
  async firstMissing(manager: EntityManager, links: RecordLinks): Promise<[string, string] | null> {
    if (links.customerId && !(await this.directory.findLive(manager, links.customerId))) return ['customerId', links.customerId];
    for (const [field, table] of TABLES) {
      const id = links[field];
      if (!id) continue;
      const rows: unknown[] = await manager.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 AND id = $2`, [requireTenantId(), id]);
      if (rows.length === 0) return [field, id];
    }
    return null;
  }
}
