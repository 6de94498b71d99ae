import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import { emailKey, phoneKey } from '@crm/platform/customer-references';
import { nameSearchKey } from '@crm/platform/standardisation';

/** A customer as the customers service last described it. */
export interface DirectoryCustomer {
  id: string;
  tenantId: string;
  type: string;
  name: string;
  ownerId: string | null;
  region: string | null;
  industry: string | null;
  /** Normalised as the customers service stores them: phones E.164, e-mails lower-case. */
  phones: readonly string[];
  emails: readonly string[];
  version: number;
}

/** A live customer found by a dedup probe, with what matched. */
export interface DirectoryMatch {
  customerId: string;
  name: string;
  ownerId: string | null;
  matchedOn: 'phone' | 'email' | 'name';
  /** 1 for exact contact matches, the trigram similarity for names. */
  similarity: number;
}

export type DirectoryStatus = 'active' | 'deleted' | 'merged' | 'erased';

export { emailKey, phoneKey } from '@crm/platform/customer-references';

/**
 * The read model of the customers service's customers: names, owners and contact keys for lead dedup,
 * validation of customer references and names in reports. Writes come from customers.customer.v1 only
 * and are applied when their version is newer than the row's.
 */
@Injectable()
export class CustomerDirectoryRepository {
  /** Inserts or replaces the customer (live); false when the row already has this version or a newer one. */
  async upsert(manager: EntityManager, customer: DirectoryCustomer): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_directory (id, tenant_id, type, name, owner_id, region, industry, status, merged_into, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', NULL, $8, now())
       ON CONFLICT (id) DO UPDATE
         SET type = EXCLUDED.type, name = EXCLUDED.name, owner_id = EXCLUDED.owner_id, region = EXCLUDED.region, industry = EXCLUDED.industry,
             status = 'active', merged_into = NULL, version = EXCLUDED.version, updated_at = now()
         WHERE customer_directory.version < EXCLUDED.version AND customer_directory.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [customer.id, customer.tenantId, customer.type, customer.name, customer.ownerId, customer.region, customer.industry, customer.version],
    );
    if (rows.length === 0) return false;
    await this.replaceKeys(manager, customer.tenantId, customer.id, [...customer.phones.map(phoneKey), ...customer.emails.map(emailKey)], nameSearchKey(customer.name));
    return true;
  }

  /** A new owner only; false when the row is missing or already newer. */
  async changeOwner(manager: EntityManager, tenantId: string, customerId: string, ownerId: string | null, version: number): Promise<boolean> {
    const rows = await modifyingQuery(
      manager,
      `UPDATE customer_directory SET owner_id = $3, version = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND version < $4 RETURNING id`,
      [tenantId, customerId, ownerId, version],
    );
    return rows.length > 0;
  }

  /**
   * The customer is gone (deleted, merged into `mergedInto`, or erased): it stops matching leads. An
   * erased customer keeps its id only. A row we never saw is created, so late events still find it gone.
   */
  async retire(manager: EntityManager, tenantId: string, customerId: string, status: Exclude<DirectoryStatus, 'active'>, version: number, mergedInto: string | null = null): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_directory (id, tenant_id, type, name, status, merged_into, version, updated_at)
         VALUES ($1, $2, 'person', '', $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE
         SET status = EXCLUDED.status, merged_into = EXCLUDED.merged_into, version = GREATEST(customer_directory.version, EXCLUDED.version),
             name = CASE WHEN EXCLUDED.status = 'erased' THEN '' ELSE customer_directory.name END,
             region = CASE WHEN EXCLUDED.status = 'erased' THEN NULL ELSE customer_directory.region END,
             industry = CASE WHEN EXCLUDED.status = 'erased' THEN NULL ELSE customer_directory.industry END,
             updated_at = now()
         WHERE customer_directory.tenant_id = EXCLUDED.tenant_id AND (customer_directory.version <= EXCLUDED.version OR EXCLUDED.status IN ('erased', 'merged'))
       RETURNING id`,
      [customerId, tenantId, status, mergedInto, version],
    );
    if (rows.length === 0) return false;
    await this.replaceKeys(manager, tenantId, customerId, [], null);
    return true;
  }

  /** Live customers whose phone or e-mail is one of `contactKeys` (phoneKey/emailKey), exact matches. */
  async findByContactKeys(manager: EntityManager, contactKeys: readonly string[]): Promise<DirectoryMatch[]> {
    if (contactKeys.length === 0) return [];
    const rows: Array<{ id: string; name: string; owner_id: string | null; contact_key: string }> = await manager.query(
      `SELECT DISTINCT ON (d.id) d.id, d.name, d.owner_id, k.contact_key
         FROM customer_contact_keys k JOIN customer_directory d ON d.id = k.customer_id
        WHERE k.tenant_id = $1 AND k.contact_key = ANY($2::text[]) AND d.status = 'active'
        ORDER BY d.id, k.contact_key DESC`,
      [requireTenantId(), [...contactKeys]],
    );
    return rows.map((row) => ({ customerId: row.id, name: row.name, ownerId: row.owner_id, matchedOn: row.contact_key.startsWith('p:') ? 'phone' : 'email', similarity: 1 }));
  }

  /**
   * Live customers whose name is at least `threshold` (0–1) similar to `name` (pg_trgm on the folded
   * name key), best first. Sets the transaction's pg_trgm.similarity_threshold to `threshold`. The search table has no row-level security (see the migration), so the
   * tenant filter here is what keeps tenants apart; the join to the directory is the second wall.
   */
  async findBySimilarName(manager: EntityManager, name: string, threshold: number, limit = 5): Promise<DirectoryMatch[]> {
    const key = nameSearchKey(name);
    if (key.length < 2) return [];
    // `%` uses pg_trgm.similarity_threshold (0.3 by default): at that level every name sharing a city and a trade
    // matches, and the index hands over thousands of candidates. The caller's threshold keeps it to real ones.
    await manager.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(threshold)]);
    const rows: Array<{ id: string; name: string; owner_id: string | null; similarity: number }> = await manager.query(
      `SELECT d.id, d.name, d.owner_id, m.similarity
         FROM (SELECT s.customer_id, similarity(s.name_key, $2) AS similarity
                 FROM customer_name_search s
                WHERE s.tenant_id = $1 AND s.name_key % $2
                ORDER BY similarity DESC LIMIT $4) m
         JOIN customer_directory d ON d.id = m.customer_id AND d.status = 'active'
        WHERE m.similarity >= $3
        ORDER BY m.similarity DESC, d.id`,
      [requireTenantId(), key, threshold, limit],
    );
    return rows.map((row) => ({ customerId: row.id, name: row.name, ownerId: row.owner_id, matchedOn: 'name', similarity: Number(row.similarity) }));
  }

  /** The customer if it is live in the directory (customer references on orders, contracts, …). */
  async findLive(manager: EntityManager, customerId: string): Promise<{ id: string; name: string; ownerId: string | null } | null> {
    const rows: Array<{ id: string; name: string; owner_id: string | null }> = await manager.query(
      `SELECT id, name, owner_id FROM customer_directory WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
      [requireTenantId(), customerId],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, ownerId: rows[0].owner_id } : null;
  }

  private async replaceKeys(manager: EntityManager, tenantId: string, customerId: string, contactKeys: readonly string[], nameKey: string | null): Promise<void> {
    await manager.query(`DELETE FROM customer_contact_keys WHERE customer_id = $1`, [customerId]);
    if (contactKeys.length > 0) {
      await manager.query(`INSERT INTO customer_contact_keys (tenant_id, contact_key, customer_id) SELECT $1, k, $2 FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING`, [
        tenantId,
        customerId,
        [...new Set(contactKeys)],
      ]);
    }
    if (nameKey) {
      await manager.query(
        `INSERT INTO customer_name_search (customer_id, tenant_id, name_key) VALUES ($1, $2, $3) ON CONFLICT (customer_id) DO UPDATE SET name_key = EXCLUDED.name_key`,
        [customerId, tenantId, nameKey],
      );
    } else {
      await manager.query(`DELETE FROM customer_name_search WHERE customer_id = $1`, [customerId]);
    }
  }
}
