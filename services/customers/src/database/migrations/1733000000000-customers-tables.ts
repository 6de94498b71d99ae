import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from '@crm/platform/database';

/** Every table here holds one tenant's rows: repositories filter by tenant and row-level security backs them up. */
const TENANT_OWNED = ['users', 'user_team_members', 'customers', 'custom_field_definitions', 'pii_access_log'];

/**
 * Customers' schema. Times are stored to the millisecond (timestamptz(3)) so keyset cursors compare
 * exactly. Indexes on `customers` are partial (`deleted_at IS NULL`): deleted customers are kept for
 * references and audit but never listed or searched.
 *
 * Contacts are arrays on the customer row rather than child tables: a customer is written, versioned
 * and published as one row, and reads need no joins.
 *
 * Search and exact-contact lookups live in `customer_search`, one row per live customer, derived by the
 * service in the transaction of every write. It is the one tenant-owned table without row-level
 * security, on purpose: under RLS PostgreSQL evaluates the policy before any condition whose operator
 * is not leakproof, and LIKE, trigram and array operators (`~~`, `%`, `@>`, `&&`) are not, so no
 * GIN index could ever serve a search of an RLS table (EXPLAIN shows a sequential scan). The table is
 * only ever read as `customers.id IN (SELECT customer_id FROM customer_search WHERE tenant_id = … AND …)`
 * inside a query of `customers`, so every row a search returns still passes the customers policy: a
 * search that forgot its tenant filter would only get slower, never show another tenant's customer.
 */
export class CustomersTables1733000000000 implements MigrationInterface {
  name = 'CustomersTables1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Trusted extension: the database owner may create it. Backs name, phone and e-mail "contains" search.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    // Read model of identity.user.v1: who may own customers, and which teams they are in (manager scope).
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL,
        team_ids uuid[] NOT NULL DEFAULT '{}',
        version bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX users_tenant_idx ON users (tenant_id)`);
    // The same memberships by team, for the manager scope: a btree answers `team_id = ANY($1)` under
    // row-level security (uuid equality is leakproof; the array overlap on users.team_ids is not).
    await queryRunner.query(`
      CREATE TABLE user_team_members (
        team_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        PRIMARY KEY (team_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX user_team_members_user_idx ON user_team_members (user_id)`);

    await queryRunner.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('person', 'company')),
        name text NOT NULL,
        name_en text,
        phones text[] NOT NULL DEFAULT '{}',
        emails text[] NOT NULL DEFAULT '{}',
        wechat_ids text[] NOT NULL DEFAULT '{}',
        addresses jsonb NOT NULL DEFAULT '[]',
        industry text,
        region text,
        source text,
        owner_id uuid,
        lifecycle_stage text NOT NULL DEFAULT 'prospect' CHECK (lifecycle_stage IN ('prospect', 'new', 'active', 'dormant', 'churned')),
        value_tier text CHECK (value_tier IN ('A', 'B', 'C')),
        key_account boolean NOT NULL DEFAULT false,
        tags text[] NOT NULL DEFAULT '{}',
        consent jsonb NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        external_id text,
        national_id_encrypted bytea,
        national_id_masked text,
        bank_account_encrypted bytea,
        bank_account_masked text,
        created_by uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        CHECK ((national_id_encrypted IS NULL) = (national_id_masked IS NULL)),
        CHECK ((bank_account_encrypted IS NULL) = (bank_account_masked IS NULL))
      )`);
    const live = 'WHERE deleted_at IS NULL';
    // The integrator's key for batch upserts; a deleted customer frees it.
    await queryRunner.query(`CREATE UNIQUE INDEX customers_tenant_external_id_key ON customers (tenant_id, external_id) WHERE external_id IS NOT NULL AND deleted_at IS NULL`);
    // Newest first, alone or after one equality filter (owner: also the rep's scope; stage; tier; region).
    await queryRunner.query(`CREATE INDEX customers_tenant_created_idx ON customers (tenant_id, created_at DESC, id DESC) ${live}`);
    await queryRunner.query(`CREATE INDEX customers_tenant_owner_created_idx ON customers (tenant_id, owner_id, created_at DESC, id DESC) ${live}`);
    await queryRunner.query(`CREATE INDEX customers_tenant_stage_created_idx ON customers (tenant_id, lifecycle_stage, created_at DESC, id DESC) ${live}`);
    await queryRunner.query(`CREATE INDEX customers_tenant_tier_created_idx ON customers (tenant_id, value_tier, created_at DESC, id DESC) ${live}`);
    await queryRunner.query(`CREATE INDEX customers_tenant_region_created_idx ON customers (tenant_id, region, created_at DESC, id DESC) ${live}`);

    await queryRunner.query(`
      CREATE TABLE customer_search (
        customer_id uuid PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        name_search text NOT NULL,
        name_bigrams text[] NOT NULL DEFAULT '{}',
        phone_search text NOT NULL DEFAULT '',
        email_search text NOT NULL DEFAULT '',
        phones text[] NOT NULL DEFAULT '{}',
        emails text[] NOT NULL DEFAULT '{}',
        wechat_ids text[] NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}'
      )`);
    // Names in any script: 3+ characters by trigram (CJK included), 2 by bigram (张伟), 1 by prefix (trigram too).
    await queryRunner.query(`CREATE INDEX customer_search_name_trgm_idx ON customer_search USING gin (name_search gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX customer_search_name_bigrams_idx ON customer_search USING gin (name_bigrams)`);
    // Any run of 3+ digits of any phone number (`0013` finds 13800138000), and any part of an e-mail address.
    await queryRunner.query(`CREATE INDEX customer_search_phone_trgm_idx ON customer_search USING gin (phone_search gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX customer_search_email_trgm_idx ON customer_search USING gin (email_search gin_trgm_ops)`);
    // Exact contacts (duplicate detection: `phones && $1`) and lower-cased tags (the tag filter).
    await queryRunner.query(`CREATE INDEX customer_search_phones_idx ON customer_search USING gin (phones)`);
    await queryRunner.query(`CREATE INDEX customer_search_emails_idx ON customer_search USING gin (emails)`);
    await queryRunner.query(`CREATE INDEX customer_search_wechat_ids_idx ON customer_search USING gin (wechat_ids)`);
    await queryRunner.query(`CREATE INDEX customer_search_tags_idx ON customer_search USING gin (tags)`);

    await queryRunner.query(`
      CREATE TABLE custom_field_definitions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        label text NOT NULL,
        type text NOT NULL CHECK (type IN ('text', 'number', 'date', 'select')),
        options text[] NOT NULL DEFAULT '{}',
        required boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX custom_field_definitions_tenant_key_key ON custom_field_definitions (tenant_id, key)`);
    await queryRunner.query(`CREATE INDEX custom_field_definitions_tenant_created_idx ON custom_field_definitions (tenant_id, created_at, id)`);

    // Who saw which customer's unmasked national ID or bank account, and when.
    await queryRunner.query(`
      CREATE TABLE pii_access_log (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers (id),
        actor_id uuid NOT NULL,
        fields text[] NOT NULL,
        request_id text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX pii_access_log_tenant_customer_at_idx ON pii_access_log (tenant_id, customer_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX pii_access_log_tenant_actor_at_idx ON pii_access_log (tenant_id, actor_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX pii_access_log_tenant_at_idx ON pii_access_log (tenant_id, at DESC, id DESC)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Policies go with their tables.
    for (const table of ['pii_access_log', 'custom_field_definitions', 'customer_search', 'customers', 'user_team_members', 'users']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
