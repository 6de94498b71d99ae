import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '@crm/platform/database';
import type { CustomerTier } from './customer-directory.repository';

/** Tickets still being worked on follow their customer's tier (routing and SLA policies choose by it). */
@Injectable()
export class CustomerTierSync {
  /** Sets the tier on the customer's active tickets whose tier differs; returns their ids. */
  async onTierChanged(manager: EntityManager, tenantId: string, customerId: string, tier: CustomerTier): Promise<string[]> {
    const rows = await modifyingQuery<{ id: string }>(
      manager,
      `UPDATE tickets SET customer_tier = $3 WHERE tenant_id = $1 AND customer_id = $2 AND status IN ('new', 'open', 'pending_customer') AND customer_tier <> $3 RETURNING id`,
      [tenantId, customerId, tier],
    );
    return rows.map((row) => row.id);
  }
}
