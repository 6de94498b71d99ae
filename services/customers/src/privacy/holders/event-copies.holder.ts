import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/**
 * Copies of events in the service's own messaging tables: the outbox keeps published events about the
 * customer (CustomerCreated and CustomerUpdated carry the whole record) for a day, and a dead letter may
 * hold an event about or mentioning them. Both go. An outbox row not yet published goes too: consumers
 * then never see that change, only the CustomerErased that follows, which makes them drop what they had.
 * The outbox has no index on `subject` (it would slow every write for a rare erasure), so this scans it.
 */
@Injectable()
export class EventCopiesHolder implements PersonalDataHolder {
  async export(): Promise<PersonalDataSection[]> {
    return [];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const [, outbox] = (await manager.query(`DELETE FROM messaging_outbox WHERE tenant_id = $1 AND subject = $2`, [tenantId, customerId])) as [unknown, number];
    const [, deadLetters] = (await manager.query(
      `DELETE FROM messaging_dead_letter
        WHERE envelope->>'tenantId' = $1 AND (envelope->>'subject' = $2 OR strpos(envelope->>'data', $2) > 0)`,
      [tenantId, customerId],
    )) as [unknown, number];
    return outbox + deadLetters;
  }
}
