import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import { emailKey, phoneKey } from '@crm/platform/customer-references';

/**
 * Service tier of a customer as routing rules and SLA policies see it: `vip` for analytics' VIPs and
 * key accounts, else the value tier (A, B, C), or '' when unclassified.
 */
export type CustomerTier = 'vip' | 'A' | 'B' | 'C' | '';

export const CUSTOMER_TIERS: readonly CustomerTier[] = ['vip', 'A', 'B', 'C', ''];

/** A customer as the customers service last described it (analytics' scores are kept apart, see applyScores). */
export interface DirectoryCustomer {
  id: string;
  tenantId: string;
  type: string;
  name: string;
  ownerId: string | null;
  valueTier: string;
  keyAccount: boolean;
  /** Normalised as the customers service stores them: phones E.164, e-mails lower-case. */
  phones: readonly string[];
  emails: readonly string[];
  version: number;
}

/** A live customer of the directory. */
export interface KnownCustomer {
  id: string;
  name: string;
  tier: CustomerTier;
}

const TIER_SQL = `CASE WHEN d.vip OR d.key_account THEN 'vip' WHEN d.value_tier IN ('A', 'B', 'C') THEN d.value_tier ELSE '' END`;

/**
 * The read model of the customers service's customers, with analytics' VIP flag: who a raw contact on
 * a ticket or call is, and which tier their tickets are served at. Customer events apply when their
 * version is newer; analytics' scores when they were computed later than the ones held.
 */
@Injectable()
export class CustomerDirectoryRepository {
  /** Inserts or replaces the customer (live); false when the row already has this version or a newer one. */
  async upsert(manager: EntityManager, customer: DirectoryCustomer): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_directory (id, tenant_id, type, name, owner_id, value_tier, key_account, status, merged_into, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', NULL, $8, now())
       ON CONFLICT (id) DO UPDATE
         SET type = EXCLUDED.type, name = EXCLUDED.name, owner_id = EXCLUDED.owner_id, value_tier = EXCLUDED.value_tier, key_account = EXCLUDED.key_account,
             status = 'active', merged_into = NULL, version = EXCLUDED.version, updated_at = now()
         WHERE customer_directory.version < EXCLUDED.version AND customer_directory.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [customer.id, customer.tenantId, customer.type, customer.name, customer.ownerId, customer.valueTier, customer.keyAccount, customer.version],
    );
    if (rows.length === 0) return false;
    await this.replaceKeys(manager, customer.tenantId, customer.id, [...customer.phones.map(phoneKey), ...customer.emails.map(emailKey)]);
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
   * Analytics' VIP flag and value tier; false when scores computed later are already held. A customer
   * not seen yet gets a row (version 0) that its CustomerCreated fills in.
   */
  async applyScores(manager: EntityManager, tenantId: string, customerId: string, scores: { vip: boolean; valueTier: string; computedAt: Date }): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_directory (id, tenant_id, type, name, value_tier, vip, scores_computed_at, status, version, updated_at)
         VALUES ($1, $2, 'person', '', $3, $4, $5, 'active', 0, now())
       ON CONFLICT (id) DO UPDATE
         SET vip = EXCLUDED.vip, value_tier = CASE WHEN EXCLUDED.value_tier = '' THEN customer_directory.value_tier ELSE EXCLUDED.value_tier END,
             scores_computed_at = EXCLUDED.scores_computed_at, updated_at = now()
         WHERE customer_directory.tenant_id = EXCLUDED.tenant_id
           AND (customer_directory.scores_computed_at IS NULL OR customer_directory.scores_computed_at < EXCLUDED.scores_computed_at)
       RETURNING id`,
      [customerId, tenantId, scores.valueTier, scores.vip, scores.computedAt],
    );
    return rows.length > 0;
  }

  /**
   * The customer is gone (deleted, merged into `mergedInto`, or erased): it stops matching contacts. An
   * erased customer keeps its id only. A row we never saw is created, so late events still find it gone.
   */
  async retire(manager: EntityManager, tenantId: string, customerId: string, status: 'deleted' | 'merged' | 'erased', version: number, mergedInto: string | null = null): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO customer_directory (id, tenant_id, type, name, status, merged_into, version, updated_at)
         VALUES ($1, $2, 'person', '', $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE
         SET status = EXCLUDED.status, merged_into = EXCLUDED.merged_into, version = GREATEST(customer_directory.version, EXCLUDED.version),
             name = CASE WHEN EXCLUDED.status = 'erased' THEN '' ELSE customer_directory.name END,
             updated_at = now()
         WHERE customer_directory.tenant_id = EXCLUDED.tenant_id AND (customer_directory.version <= EXCLUDED.version OR EXCLUDED.status IN ('erased', 'merged'))
       RETURNING id`,
      [customerId, tenantId, status, mergedInto, version],
    );
    if (rows.length === 0) return false;
    await this.replaceKeys(manager, tenantId, customerId, []);
    return true;
  }

  /** The live customer one of `contactKeys` (phoneKey/emailKey, in order of preference) belongs to; null when none or when they point at different customers. */
  async matchContact(manager: EntityManager, contactKeys: readonly string[]): Promise<KnownCustomer | null> {
    if (contactKeys.length === 0) return null;
    const rows: Array<{ id: string; name: string; tier: CustomerTier; contact_key: string }> = await manager.query(
      `SELECT DISTINCT d.id, d.name, ${TIER_SQL} AS tier, k.contact_key
         FROM customer_contact_keys k JOIN customer_directory d ON d.id = k.customer_id
        WHERE k.tenant_id = $1 AND k.contact_key = ANY($2::text[]) AND d.status = 'active'`,
      [requireTenantId(), [...contactKeys]],
    );
    // The first key that matches exactly one customer decides; a shared phone (a front desk) says nothing.
    for (const key of contactKeys) {
      const matches = rows.filter((row) => row.contact_key === key);
      if (matches.length === 1) return { id: matches[0].id, name: matches[0].name, tier: matches[0].tier };
    }
    return null;
  }

  /** The customer if it is live in the directory. */
  async findLive(manager: EntityManager, customerId: string): Promise<KnownCustomer | null> {
    const rows: Array<{ id: string; name: string; tier: CustomerTier }> = await manager.query(
      `SELECT d.id, d.name, ${TIER_SQL} AS tier FROM customer_directory d WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'active'`,
      [requireTenantId(), customerId],
    );
    return rows[0] ?? null;
  }

  /** The customer's tier now ('' for unknown customers). */
  async tierOf(manager: EntityManager, customerId: string): Promise<CustomerTier> {
    const rows: Array<{ tier: CustomerTier }> = await manager.query(`SELECT ${TIER_SQL} AS tier FROM customer_directory d WHERE d.tenant_id = $1 AND d.id = $2`, [requireTenantId(), customerId]);
    return rows[0]?.tier ?? '';
  }

  /** Phones and e-mails the directory holds for the customer, as contact keys (erasure finds contact-only tickets by them). */
  async contactKeysOf(manager: EntityManager, customerId: string): Promise<string[]> {
    const rows: Array<{ contact_key: string }> = await manager.query(`SELECT contact_key FROM customer_contact_keys WHERE tenant_id = $1 AND customer_id = $2`, [requireTenantId(), customerId]);
    return rows.map((row) => row.contact_key);
  }

  private async replaceKeys(manager: EntityManager, tenantId: string, customerId: string, contactKeys: readonly string[]): Promise<void> {
    await manager.query(`DELETE FROM customer_contact_keys WHERE customer_id = $1`, [customerId]);
    if (contactKeys.length === 0) return;
    await manager.query(`INSERT INTO customer_contact_keys (tenant_id, contact_key, customer_id) SELECT $1, k, $2 FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING`, [
      tenantId,
      customerId,
      [...new Set(contactKeys)],
    ]);
  }
}
