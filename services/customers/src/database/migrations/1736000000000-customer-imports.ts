import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

/**
 * Imports of customers from CSV files: the jobs, their applied chunks, the rejected rows, and the
 * staging table every row of a file passes through.
 *
 * `customer_import_rows` is the staging table: each row of a file, standardised and validated, with
 * its search-index values computed, arrives there by COPY and is then deduplicated and applied with
 * set-based statements. It is UNLOGGED (no WAL for a million rows that live for minutes; PostgreSQL
 * empties it after a crash of the database server, which a job notices and then fails with a report of
 * what it applied) and has no row-level security, on purpose: COPY FROM refuses tables with row-level
 * security. It is only ever read by job id, by the worker that owns the job, or joined to
 * `customer_imports` (which has row-level security) when a job's rows are shown, so a caller never sees
 * another tenant's rows. A job's rows are deleted once it has finished.
 *
 * `customer_import_chunks` records each applied chunk (a range of row numbers) in the transaction that
 * applied it, with its counts: a restarted job applies only the chunks not recorded, and its counts are
 * the sums. `customer_import_errors` keeps the rejected rows (their cells as read, and the reasons) for
 * `errors.csv`, also after the staging rows are gone.
 */
export class CustomerImports1736000000000 implements MigrationInterface {
  name = 'CustomerImports1736000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customer_imports (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        started_by uuid NOT NULL,
        starter_roles text[] NOT NULL DEFAULT '{}',
        starter_team_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'parsing', 'deduplicating', 'applying', 'succeeded', 'failed', 'cancelled')),
        dry_run boolean NOT NULL,
        dedup_mode text NOT NULL CHECK (dedup_mode IN ('skip', 'update', 'merge')),
        mark_invalid boolean NOT NULL,
        unresponsive_days integer NOT NULL,
        owner_id uuid,
        mapping jsonb NOT NULL,
        file_name text,
        file_path text NOT NULL,
        file_bytes bigint NOT NULL,
        encoding text NOT NULL,
        header text[] NOT NULL,
        bytes_read bigint NOT NULL DEFAULT 0,
        rows_read integer NOT NULL DEFAULT 0,
        rows_staged integer,
        chunk_rows integer,
        chunks_total integer,
        rows_rejected integer NOT NULL DEFAULT 0,
        rows_inserted integer NOT NULL DEFAULT 0,
        rows_updated integer NOT NULL DEFAULT 0,
        rows_merged integer NOT NULL DEFAULT 0,
        rows_duplicate integer NOT NULL DEFAULT 0,
        marked_invalid integer NOT NULL DEFAULT 0,
        candidates_status text NOT NULL DEFAULT 'pending' CHECK (candidates_status IN ('pending', 'running', 'completed', 'failed', 'skipped')),
        candidates_checked integer NOT NULL DEFAULT 0,
        candidates_after_row integer NOT NULL DEFAULT 0,
        candidate_pairs integer NOT NULL DEFAULT 0,
        error text,
        cancel_requested_at timestamptz(3),
        worker text,
        heartbeat_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        parsed_at timestamptz(3),
        finished_at timestamptz(3)
      )`);
    // The list (newest first) and the starter's own jobs.
    await queryRunner.query(`CREATE INDEX customer_imports_tenant_created_idx ON customer_imports (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX customer_imports_tenant_starter_created_idx ON customer_imports (tenant_id, started_by, created_at DESC, id DESC)`);
    // Workers looking for jobs to run or resume, across tenants: only unfinished ones.
    await queryRunner.query(
      `CREATE INDEX customer_imports_unfinished_idx ON customer_imports (created_at) WHERE status IN ('queued', 'parsing', 'deduplicating', 'applying') OR candidates_status IN ('pending', 'running')`,
    );

    await queryRunner.query(`
      CREATE TABLE customer_import_chunks (
        job_id uuid NOT NULL REFERENCES customer_imports (id) ON DELETE CASCADE,
        chunk_no integer NOT NULL,
        tenant_id uuid NOT NULL,
        rows_applied integer NOT NULL,
        rows_rejected integer NOT NULL,
        rows_inserted integer NOT NULL,
        rows_updated integer NOT NULL,
        rows_merged integer NOT NULL,
        rows_duplicate integer NOT NULL,
        marked_invalid integer NOT NULL,
        applied_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, chunk_no)
      )`);

    await queryRunner.query(`
      CREATE TABLE customer_import_errors (
        job_id uuid NOT NULL REFERENCES customer_imports (id) ON DELETE CASCADE,
        row_no integer NOT NULL,
        tenant_id uuid NOT NULL,
        cells text[] NOT NULL,
        problems jsonb NOT NULL,
        PRIMARY KEY (job_id, row_no)
      )`);

    await queryRunner.query(`
      CREATE UNLOGGED TABLE customer_import_rows (
        job_id uuid NOT NULL,
        row_no integer NOT NULL,
        customer_id uuid NOT NULL,
        type text,
        name text,
        name_en text,
        phones text[] NOT NULL DEFAULT '{}',
        emails text[] NOT NULL DEFAULT '{}',
        wechat_ids text[] NOT NULL DEFAULT '{}',
        addresses jsonb,
        industry text,
        region text,
        source text,
        lifecycle_stage text,
        value_tier text,
        key_account boolean,
        tags text[] NOT NULL DEFAULT '{}',
        marked_tags text[],
        search_tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb,
        external_id text,
        last_contact date,
        invalid_reasons text[],
        name_search text,
        name_bigrams text[],
        phone_search text,
        email_search text,
        problems jsonb,
        needs_existing boolean NOT NULL DEFAULT false,
        cells text[],
        outcome text CHECK (outcome IN ('inserted', 'updated', 'merged', 'duplicate', 'rejected')),
        target_id uuid,
        leader_row_no integer,
        PRIMARY KEY (job_id, row_no)
      )`);
    // The rows of a group, gathered at its leader's chunk (update and merge modes).
    await queryRunner.query(`CREATE INDEX customer_import_rows_leader_idx ON customer_import_rows (job_id, leader_row_no) WHERE leader_row_no IS NOT NULL`);

    for (const table of ['customer_imports', 'customer_import_chunks', 'customer_import_errors']) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS customer_import_rows`);
    for (const table of ['customer_import_errors', 'customer_import_chunks', 'customer_imports']) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
