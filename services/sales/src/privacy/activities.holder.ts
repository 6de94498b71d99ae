import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '@crm/platform/database';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/** Marks what an erasure leaves of an activity: that it happened, when, and by whom, but not what was said. */
export const ERASED_TEXT = '[erased]';

/**
 * Activities and tasks about the customer: subjects, reps' notes and outcomes are free text that may
 * name or describe the person, so an erasure blanks them and keeps only the fact and time of contact.
 */
@Injectable()
export class ActivitiesHolder implements PersonalDataHolder {
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const rows: unknown[] = await manager.query(
      `SELECT id, kind, subject, notes, direction, outcome, status, occurred_at AS "occurredAt", due_at AS "dueAt", created_at AS "createdAt"
         FROM activities WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at, id`,
      [tenantId, customerId],
    );
    return rows.length > 0 ? [{ name: 'activities', data: rows }] : [];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const rows = await modifyingQuery(
      manager,
      `UPDATE activities SET subject = $3, notes = NULL, outcome = NULL, updated_at = now(), version = version + 1
        WHERE tenant_id = $1 AND customer_id = $2 AND NOT (subject = $3 AND notes IS NULL AND outcome IS NULL)
        RETURNING id`,
      [tenantId, customerId, ERASED_TEXT],
    );
    return rows.length;
  }
}
