import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CustomerEntity } from './customer.entity';
import { searchColumns } from './customer-search';

/**
 * Keeps `customer_search` (see the migration for why it is a table of its own) in step with customers,
 * in the caller's transaction: one row per live customer, written in bulk.
 */
@Injectable()
export class CustomerSearchIndex {
  async index(manager: EntityManager, customers: readonly CustomerEntity[]): Promise<void> {
    if (customers.length === 0) return;
    const rows = customers.map((customer) => ({
      customer_id: customer.id,
      tenant_id: customer.tenantId,
      ...toRow(searchColumns(customer)),
      phones: customer.phones,
      emails: customer.emails,
      wechat_ids: customer.wechatIds,
      // Lower-cased, so the tag filter ignores case as tag changes do.
      tags: customer.tags.map((tag) => tag.toLowerCase()),
    }));
    await manager.query(
      `INSERT INTO customer_search (customer_id, tenant_id, name_search, name_bigrams, phone_search, email_search, phones, emails, wechat_ids, tags)
       SELECT r.customer_id, r.tenant_id, r.name_search, r.name_bigrams, r.phone_search, r.email_search, r.phones, r.emails, r.wechat_ids, r.tags
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, tenant_id uuid, name_search text, name_bigrams text[], phone_search text,
                                                email_search text, phones text[], emails text[], wechat_ids text[], tags text[])
       ON CONFLICT (customer_id) DO UPDATE SET
         name_search = EXCLUDED.name_search, name_bigrams = EXCLUDED.name_bigrams, phone_search = EXCLUDED.phone_search,
         email_search = EXCLUDED.email_search, phones = EXCLUDED.phones, emails = EXCLUDED.emails, wechat_ids = EXCLUDED.wechat_ids, tags = EXCLUDED.tags`,
      [JSON.stringify(rows)],
    );
  }

  /** Deleted customers are never found again. */
  async remove(manager: EntityManager, customerIds: readonly string[]): Promise<void> {
    if (customerIds.length > 0) await manager.query(`DELETE FROM customer_search WHERE customer_id = ANY($1::uuid[])`, [[...customerIds]]);
  }
}

function toRow(columns: ReturnType<typeof searchColumns>) {
  return { name_search: columns.nameSearch, name_bigrams: columns.nameBigrams, phone_search: columns.phoneSearch, email_search: columns.emailSearch };
}
