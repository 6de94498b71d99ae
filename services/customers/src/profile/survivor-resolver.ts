import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerEntity } from '../customers/customer.entity';
import { MAX_MERGE_DEPTH } from './profile.repository';

/** Whom an event about a customer counts for: the customer, or the survivor it was merged into. */
export interface EventTarget {
  customerId: string;
  /** The customer row, locked for update; null for a customer this service does not know (yet). */
  customer: CustomerEntity | null;
}

@Injectable()
export class SurvivorResolver {
  /**
   * Follows `merged_into_id` from the named customer to the one its events count for now, locking each
   * row on the way. The lock makes an event and a merge of the same customer take turns: an event that
   * waited for a merge sees it and counts for the survivor; a merge that waited for an event moves
   * what the event recorded. A customer unknown here is the target itself: its events are kept for
   * when it arrives (from a later event of ours or an import).
   */
  async resolve(manager: EntityManager, tenantId: string, customerId: string): Promise<EventTarget> {
    let id = customerId;
    for (let hop = 0; hop <= MAX_MERGE_DEPTH; hop++) {
      const customer = await manager
        .getRepository(CustomerEntity)
        .createQueryBuilder('c')
        .where('c.tenantId = :tenantId', { tenantId })
        .andWhere('c.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!customer) return { customerId: id, customer: null };
      if (!customer.mergedIntoId) return { customerId: id, customer };
      id = customer.mergedIntoId;
    }
    throw new Error(`customer ${customerId} is merged through more than ${MAX_MERGE_DEPTH} survivors`);
  }
}
