import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/**
 * `customer_duplicate_candidates`: pairs with the customer on one side. They say nothing about the
 * customer themself (the other side is someone else, so nothing is exported), and an erased customer is
 * nobody's duplicate: the pairs go, dismissed ones included.
 */
@Injectable()
export class DuplicatePairsHolder implements PersonalDataHolder {
  async export(): Promise<PersonalDataSection[]> {
    return [];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const [, deleted] = (await manager.query(`DELETE FROM customer_duplicate_candidates WHERE tenant_id = $1 AND (customer_a_id = $2 OR customer_b_id = $2)`, [
      tenantId,
      customerId,
    ])) as [unknown, number];
    return deleted;
  }
}
