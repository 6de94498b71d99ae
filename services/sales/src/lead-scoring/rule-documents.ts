import type { EntityManager } from 'typeorm';
import { assertVersion } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';

/** The tenant's rule document as stored, or undefined while it uses the defaults (version 0). */
export interface StoredRules<T> {
  rules: T;
  version: number;
}

/**
 * One JSON rule document per tenant (lead scoring rules, lead assignment rules), replaced as a whole
 * with optimistic concurrency: version 0 stands for "the defaults, never saved".
 */
export class RuleDocuments<T> {
  constructor(private readonly table: 'lead_scoring_rules' | 'lead_assignment_rules') {}

  async find(manager: EntityManager): Promise<StoredRules<T> | undefined> {
    const rows: Array<{ rules: T; version: number }> = await manager.query(`SELECT rules, version FROM ${this.table} WHERE tenant_id = $1`, [requireTenantId()]);
    return rows[0] ? { rules: rows[0].rules, version: rows[0].version } : undefined;
  }

  /** Replaces the document; `expected` (If-Match) must be the current version (0 for the defaults). */
  async replace(manager: EntityManager, rules: T, expected: number | undefined, userId: string | null): Promise<StoredRules<T>> {
    const tenantId = requireTenantId();
    // Serialises concurrent replacements of the same tenant's document, including the very first one.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${this.table}:${tenantId}`]);
    const current = await this.find(manager);
    assertVersion(expected, current?.version ?? 0);
    const version = (current?.version ?? 0) + 1;
    await manager.query(
      `INSERT INTO ${this.table} (tenant_id, rules, version, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, $4, now())
       ON CONFLICT (tenant_id) DO UPDATE SET rules = EXCLUDED.rules, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [tenantId, JSON.stringify(rules), version, userId],
    );
    return { rules, version };
  }
}
