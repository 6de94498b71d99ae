import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

/**
 * Duplicate detection: the pairs found (on create, batch and full scans) and the scans themselves.
 *
 * A pair is stored once, ordered (`customer_a_id < customer_b_id`), so "A looks like B" and "B looks like
 * A" are the same row and a dismissed pair stays dismissed whichever side is written next. Both tables
 * are tenant-owned and read only with leakproof conditions (uuid and numeric comparisons), so unlike
 * `customer_search` they keep row-level security.
 *
 * `customer_name_similarity` scores two name search keys (see `nameSearchKey`): pg_trgm's `similarity`,
 * or for short names not in Latin script (Chinese names, 2–6 characters, where one different character
 * leaves few trigrams in common: 张三丰 / 张三峰 is 0.33) the Dice coefficient of their characters (0.67).
 */
export class CustomerDuplicates1734000000000 implements MigrationInterface {
  name = 'CustomerDuplicates1734000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION customer_name_similarity(a text, b text) RETURNS real
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT GREATEST(similarity(a, b), CASE
          WHEN split_part(a, ' ', 1) !~ '[a-z0-9]' AND split_part(b, ' ', 1) !~ '[a-z0-9]'
           AND char_length(split_part(a, ' ', 1)) BETWEEN 2 AND 6 AND char_length(split_part(b, ' ', 1)) BETWEEN 2 AND 6
          THEN (2.0 * (SELECT count(*) FROM (SELECT regexp_split_to_table(split_part(a, ' ', 1), '')
                                              INTERSECT ALL
                                              SELECT regexp_split_to_table(split_part(b, ' ', 1), '')) common)
                / (char_length(split_part(a, ' ', 1)) + char_length(split_part(b, ' ', 1))))::real
          ELSE 0 END)
      $fn$`);

    await queryRunner.query(`
      CREATE TABLE customer_duplicate_candidates (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        customer_a_id uuid NOT NULL REFERENCES customers (id),
        customer_b_id uuid NOT NULL REFERENCES customers (id),
        score numeric(4, 3) NOT NULL CHECK (score >= 0 AND score <= 1),
        reasons text[] NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed')),
        detected_at timestamptz(3) NOT NULL DEFAULT now(),
        dismissed_by uuid,
        dismissed_at timestamptz(3),
        CHECK (customer_a_id < customer_b_id)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX customer_duplicate_candidates_pair_key ON customer_duplicate_candidates (tenant_id, customer_a_id, customer_b_id)`);
    // The list: by status, score descending, id as tie-breaker (keyset cursor).
    await queryRunner.query(`CREATE INDEX customer_duplicate_candidates_list_idx ON customer_duplicate_candidates (tenant_id, status, score DESC, id DESC)`);
    // Pairs of one customer, from either side (merges, deletes).
    await queryRunner.query(`CREATE INDEX customer_duplicate_candidates_b_idx ON customer_duplicate_candidates (tenant_id, customer_b_id)`);

    await queryRunner.query(`
      CREATE TABLE customer_duplicate_scans (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
        requested_by uuid,
        customers_total integer NOT NULL DEFAULT 0,
        customers_scanned integer NOT NULL DEFAULT 0,
        pairs_found integer NOT NULL DEFAULT 0,
        last_customer_id uuid,
        error text,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    // One running scan per tenant.
    await queryRunner.query(`CREATE UNIQUE INDEX customer_duplicate_scans_running_key ON customer_duplicate_scans (tenant_id) WHERE status = 'running'`);
    await queryRunner.query(`CREATE INDEX customer_duplicate_scans_tenant_started_idx ON customer_duplicate_scans (tenant_id, started_at DESC)`);

    for (const table of ['customer_duplicate_candidates', 'customer_duplicate_scans']) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['customer_duplicate_scans', 'customer_duplicate_candidates']) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS customer_name_similarity(text, text)`);
  }
}
