import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/**
 * `pii_access_log`: who saw the customer's unmasked numbers, and when. The data subject may know that
 * (export), and the rows hold nothing personal (user ids, field names, times), so an erasure keeps
 * them as the audit trail they are.
 */
@Injectable()
export class PiiAccessHolder implements PersonalDataHolder {
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const rows: Array<{ actor_id: string; fields: string[]; at: Date }> = await manager.query(
      `SELECT actor_id, fields, at FROM pii_access_log WHERE tenant_id = $1 AND customer_id = $2 ORDER BY at DESC, id DESC`,
      [tenantId, customerId],
    );
    return [{ name: 'piiAccessLog', data: rows.map((row) => ({ actorId: row.actor_id, fields: row.fields, at: row.at.toISOString() })) }];
  }

  async erase(): Promise<number> {
    return 0;
  }
}
