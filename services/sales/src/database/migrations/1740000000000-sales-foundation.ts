import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = ['users', 'user_team_members', 'customer_directory', 'customer_contact_keys', 'customer_merge_repoints', 'activities'];

/**
 * What every part of sales stands on: the read models of identity's users (owners, teams, seniority)
 * and of the customers service's customers (names and contact keys for dedup, owners, merges), and
 * activities, which are also the tasks every scheduler raises. Times are timestamptz(3), so keyset
 * cursors compare exactly.
 *
 * `customer_name_search` is, like customers' `customer_search`, a tenant-owned table without row-level
 * security on purpose: under RLS PostgreSQL evaluates the policy before any operator that is not
 * leakproof, and the trigram operator is not, so no GIN index could serve a fuzzy name match. It is only
 * read with an explicit tenant filter, joined back to the RLS-protected `customer_directory`.
 */
export class SalesFoundation1740000000000 implements MigrationInterface {
  name = 'SalesFoundation1740000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    // Read model of identity.user.v1: who may own records, their teams (manager scope, round-robin) and seniority (lead assignment).
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        seniority text NOT NULL DEFAULT '',
        team_ids uuid[] NOT NULL DEFAULT '{}',
        version bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX users_tenant_idx ON users (tenant_id)`);
    await queryRunner.query(`
      CREATE TABLE user_team_members (
        team_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        PRIMARY KEY (team_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX user_team_members_user_idx ON user_team_members (user_id)`);

    // Read model of customers.customer.v1. A merged customer points at its survivor; an erased one keeps only its id.
    await queryRunner.query(`
      CREATE TABLE customer_directory (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        owner_id uuid,
        region text,
        industry text,
        status text NOT NULL CHECK (status IN ('active', 'deleted', 'merged', 'erased')),
        merged_into uuid,
        version bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX customer_directory_tenant_idx ON customer_directory (tenant_id)`);
    // Normalised phones ('p:+8613800138000') and e-mails ('e:li@example.com') of live customers: exact dedup matches.
    await queryRunner.query(`
      CREATE TABLE customer_contact_keys (
        tenant_id uuid NOT NULL,
        contact_key text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer_directory (id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, contact_key, customer_id)
      )`);
    await queryRunner.query(`CREATE INDEX customer_contact_keys_customer_idx ON customer_contact_keys (customer_id)`);
    await queryRunner.query(`
      CREATE TABLE customer_name_search (
        customer_id uuid PRIMARY KEY REFERENCES customer_directory (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        name_key text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX customer_name_search_trgm_idx ON customer_name_search USING gin (name_key gin_trgm_ops)`);

    // Which rows a customer merge re-pointed from a merged customer to the survivor, so undoing the merge moves exactly those back.
    await queryRunner.query(`
      CREATE TABLE customer_merge_repoints (
        tenant_id uuid NOT NULL,
        merge_id uuid NOT NULL,
        table_name text NOT NULL,
        row_id uuid NOT NULL,
        from_customer_id uuid NOT NULL,
        PRIMARY KEY (merge_id, table_name, row_id)
      )`);

    // Calls, meetings, e-mails, notes and tasks. Tasks raised by the service (rotting, renewals,
    // automation) carry an origin key, unique per tenant, so a scheduler that runs twice raises one task.
    await queryRunner.query(`
      CREATE TABLE activities (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('call', 'meeting', 'visit', 'email', 'wechat', 'sms', 'note', 'task')),
        subject text NOT NULL,
        notes text,
        direction text CHECK (direction IN ('inbound', 'outbound')),
        outcome text,
        duration_seconds integer,
        status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
        due_at timestamptz(3),
        occurred_at timestamptz(3),
        completed_at timestamptz(3),
        owner_id uuid NOT NULL,
        lead_id uuid,
        opportunity_id uuid,
        customer_id uuid,
        contract_id uuid,
        order_id uuid,
        origin text NOT NULL DEFAULT 'manual',
        origin_key text,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX activities_origin_key_idx ON activities (tenant_id, origin_key) WHERE origin_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX activities_owner_open_idx ON activities (tenant_id, owner_id, due_at, id) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX activities_tenant_created_idx ON activities (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX activities_customer_idx ON activities (customer_id, created_at DESC) WHERE customer_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX activities_lead_idx ON activities (lead_id, created_at DESC) WHERE lead_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX activities_opportunity_idx ON activities (opportunity_id, created_at DESC) WHERE opportunity_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX activities_contract_idx ON activities (contract_id) WHERE contract_id IS NOT NULL`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const table of ['activities', 'customer_merge_repoints', 'customer_name_search', 'customer_contact_keys', 'customer_directory', 'user_team_members', 'users']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
