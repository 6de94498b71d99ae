import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

/**
 * Merges of duplicate customers, and where pooled customers came from.
 *
 * A merged customer keeps its row (references and audit, and an undo brings it back): it is soft
 * deleted and names its survivor in `merged_into_id`. `customer_merges` is the record of each merge and
 * the tenant's audit trail of merges (who, when, which customers); `customer_merge_snapshots` holds every
 * involved customer row as it was before the merge (`to_jsonb` of the row, encrypted numbers still
 * encrypted), which is what an undo restores and what makes the table a holder of personal data. A
 * snapshot is set to null when its person's data is erased.
 *
 * `pooled_from_user_id`: a customer put in the shared pool (no owner) because its owner was deactivated
 * remembers them, so a later handover of that user's work picks it up from the pool.
 */
export class CustomerMerges1735000000000 implements MigrationInterface {
  name = 'CustomerMerges1735000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE customers
        ADD COLUMN merged_into_id uuid REFERENCES customers (id),
        ADD COLUMN merged_at timestamptz(3),
        ADD COLUMN pooled_from_user_id uuid,
        ADD CONSTRAINT customers_merged_check CHECK ((merged_into_id IS NULL) = (merged_at IS NULL) AND (merged_into_id IS NULL OR deleted_at IS NOT NULL))`);
    // Customers merged into one (erasure follows the chain of a survivor's merged rows).
    await queryRunner.query(`CREATE INDEX customers_tenant_merged_into_idx ON customers (tenant_id, merged_into_id) WHERE merged_into_id IS NOT NULL`);
    // A handover's pass over the pool customers its user left behind, in the order of the owner index.
    await queryRunner.query(
      `CREATE INDEX customers_tenant_pooled_from_created_idx ON customers (tenant_id, pooled_from_user_id, created_at DESC, id DESC)
        WHERE deleted_at IS NULL AND owner_id IS NULL AND pooled_from_user_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE customer_merges (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        survivor_id uuid NOT NULL REFERENCES customers (id),
        merged_ids uuid[] NOT NULL CHECK (cardinality(merged_ids) > 0),
        field_choices jsonb NOT NULL DEFAULT '{}',
        survivor_version integer NOT NULL,
        duplicate_pairs jsonb NOT NULL DEFAULT '[]',
        merged_by uuid,
        merged_at timestamptz(3) NOT NULL,
        undone_by uuid,
        undone_at timestamptz(3),
        erased_at timestamptz(3)
      )`);
    // The tenant's merges, newest first (keyset cursor).
    await queryRunner.query(`CREATE INDEX customer_merges_tenant_merged_at_idx ON customer_merges (tenant_id, merged_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE customer_merge_snapshots (
        merge_id uuid NOT NULL REFERENCES customer_merges (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers (id),
        tenant_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('survivor', 'merged')),
        ordinal smallint NOT NULL,
        snapshot jsonb,
        PRIMARY KEY (merge_id, customer_id)
      )`);
    // Merges a customer took part in, either side (?customerId=, privacy export and erasure).
    await queryRunner.query(`CREATE INDEX customer_merge_snapshots_customer_idx ON customer_merge_snapshots (tenant_id, customer_id, merge_id)`);

    for (const table of ['customer_merges', 'customer_merge_snapshots']) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['customer_merge_snapshots', 'customer_merges']) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP INDEX IF EXISTS customers_tenant_pooled_from_created_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS customers_tenant_merged_into_idx`);
    await queryRunner.query(`ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_merged_check, DROP COLUMN IF EXISTS pooled_from_user_id, DROP COLUMN IF EXISTS merged_at, DROP COLUMN IF EXISTS merged_into_id`);
  }
}
