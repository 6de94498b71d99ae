import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '@crm/platform/database';
import type { PersonalDataHolder, PersonalDataSection, SubjectContacts } from '@crm/platform/privacy';

/** What an erasure leaves of a lead's contact person. */
export const ERASED_LEAD_NAME = '[erased]';

/**
 * Leads of the customer: those linked to it (customerId) and those never linked but carrying one of its
 * phones or e-mails (a web-form entry, a disqualified lead). An erasure blanks the contact person, phone,
 * e-mail and notes; channel, company, score and dates stay for the funnel. Such rare lookups of closed
 * leads by contact are not served by the partial indexes of open leads (a scan of the tenant's leads).
 */
@Injectable()
export class LeadsPersonalDataHolder implements PersonalDataHolder {
  async export(manager: EntityManager, tenantId: string, customerId: string, contacts?: SubjectContacts): Promise<PersonalDataSection[]> {
    const rows: unknown[] = await manager.query(
      `SELECT id, channel, status, company_name AS "companyName", contact_name AS "contactName", phone, email, industry, region, notes, created_at AS "createdAt"
         FROM leads WHERE tenant_id = $1 AND (customer_id = $2 OR phone = ANY($3::text[]) OR email = ANY($4::text[]))
        ORDER BY created_at, id`,
      [tenantId, customerId, [...(contacts?.phones ?? [])], [...(contacts?.emails ?? [])]],
    );
    return rows.length > 0 ? [{ name: 'leads', data: rows }] : [];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string, contacts?: SubjectContacts): Promise<number> {
    const rows = await modifyingQuery(
      manager,
      `UPDATE leads SET contact_name = $5, phone = NULL, email = NULL, notes = NULL, updated_at = now(), version = version + 1
        WHERE tenant_id = $1 AND (customer_id = $2 OR phone = ANY($3::text[]) OR email = ANY($4::text[]))
          AND NOT (contact_name = $5 AND phone IS NULL AND email IS NULL AND notes IS NULL)
        RETURNING id`,
      [tenantId, customerId, [...(contacts?.phones ?? [])], [...(contacts?.emails ?? [])], ERASED_LEAD_NAME],
    );
    return rows.length;
  }
}
