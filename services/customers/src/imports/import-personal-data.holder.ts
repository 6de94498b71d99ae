import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/**
 * Imports keep rows of files: staged rows while a job runs (with the id of the customer each created or
 * went to), and rejected rows with their cells for errors.csv. A customer's staged rows are found by
 * that id; a rejected row is linked to nobody, so it is found by the customer's phone numbers and
 * e-mail addresses appearing among its cells.
 */
@Injectable()
export class ImportRowsHolder implements PersonalDataHolder {
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const rejected: Array<{ job_id: string; row_no: number; cells: string[] }> = await manager.query(
      `SELECT e.job_id, e.row_no, e.cells FROM customer_import_errors e WHERE e.tenant_id = $1 AND ${MENTIONS} ORDER BY e.job_id, e.row_no`,
      [tenantId, customerId],
    );
    return rejected.length > 0 ? [{ name: 'importRejectedRows', data: rejected.map((row) => ({ importId: row.job_id, row: row.row_no, cells: row.cells })) }] : [];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const [, rejected] = (await manager.query(`DELETE FROM customer_import_errors e WHERE e.tenant_id = $1 AND ${MENTIONS}`, [tenantId, customerId])) as [unknown, number];
    // Staged rows have no row-level security: narrowed to the tenant's jobs, which have.
    const [, staged] = (await manager.query(
      `DELETE FROM customer_import_rows r WHERE (r.customer_id = $2 OR r.target_id = $2) AND r.job_id IN (SELECT id FROM customer_imports WHERE tenant_id = $1)`,
      [tenantId, customerId],
    )) as [unknown, number];
    return rejected + staged;
  }
}

/** A rejected row whose cells contain one of the customer's phone numbers (its digits, a mainland number without +86) or e-mail addresses. */
const MENTIONS = `EXISTS (
  SELECT 1 FROM customers c, unnest(e.cells) cell
   WHERE c.id = $2 AND c.tenant_id = $1
     AND (EXISTS (SELECT 1 FROM unnest(c.phones) p WHERE regexp_replace(cell, '\\D', '', 'g') LIKE '%' || regexp_replace(p, '^\\+(86)?', ''))
          OR EXISTS (SELECT 1 FROM unnest(c.emails) m WHERE lower(cell) LIKE '%' || m || '%')))`;
