import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from '@crm/platform/database';

/** Tables holding one tenant's rows: the repositories filter by tenant and row-level security backs them up. */
const TENANT_OWNED = ['users', 'teams', 'team_members', 'api_keys', 'refresh_tokens', 'audit_log'];

/**
 * Identity's schema. Times are stored to the millisecond (timestamptz(3)) so a JavaScript Date read back
 * is exactly the stored value, which keyset cursors rely on. Not tenant-owned, so without row-level
 * security: `tenants` (the tenant registry itself), `signing_keys` (one issuer for all tenants) and
 * `login_throttle` (keyed by the e-mail address a sign-in names, before any tenant is known).
 */
export class IdentityTables1732000000000 implements MigrationInterface {
  name = 'IdentityTables1732000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Trusted extension: the database owner may create it. Backs the "contains" search on users.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await queryRunner.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        name text NOT NULL,
        email text NOT NULL,
        phone text,
        locale text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
        time_zone text NOT NULL,
        seniority text CHECK (seniority IN ('junior', 'intermediate', 'senior', 'lead')),
        roles text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        password_hash text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        last_login_at timestamptz(3)
      )`);
    // Sign-in is by e-mail alone, so an address identifies one user across every tenant.
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await queryRunner.query(`CREATE INDEX users_tenant_created_idx ON users (tenant_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX users_tenant_active_created_idx ON users (tenant_id, active, created_at, id)`);
    await queryRunner.query(`CREATE INDEX users_roles_idx ON users USING gin (roles)`);
    await queryRunner.query(`CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops)`);

    await queryRunner.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        name text NOT NULL,
        manager_id uuid NOT NULL REFERENCES users (id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX teams_tenant_name_key ON teams (tenant_id, lower(name))`);
    await queryRunner.query(`CREATE INDEX teams_tenant_created_idx ON teams (tenant_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX teams_manager_idx ON teams (manager_id)`);

    await queryRunner.query(`
      CREATE TABLE team_members (
        team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        PRIMARY KEY (team_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX team_members_user_idx ON team_members (user_id)`);

    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        key_id text NOT NULL,
        secret_hash bytea NOT NULL,
        name text NOT NULL,
        roles text[] NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3),
        revoked_at timestamptz(3),
        last_used_at timestamptz(3)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_key_id_key ON api_keys (key_id)`);
    await queryRunner.query(`CREATE INDEX api_keys_tenant_created_idx ON api_keys (tenant_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX api_keys_creator_created_idx ON api_keys (tenant_id, created_by, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        user_id uuid NOT NULL REFERENCES users (id),
        family_id uuid NOT NULL,
        token_hash bytea NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3),
        replaced_by uuid,
        revoked_at timestamptz(3)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash)`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_user_live_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        private_jwk jsonb NOT NULL,
        public_jwk jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'retired')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        retired_at timestamptz(3)
      )`);
    // At most one key signs at a time.
    await queryRunner.query(`CREATE UNIQUE INDEX signing_keys_one_active_key ON signing_keys (status) WHERE status = 'active'`);

    await queryRunner.query(`
      CREATE TABLE login_throttle (
        email_key text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        window_started_at timestamptz(3) NOT NULL DEFAULT now(),
        locked_until timestamptz(3)
      )`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        actor_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        ip text,
        user_agent text,
        details jsonb NOT NULL DEFAULT '{}',
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_tenant_action_at_idx ON audit_log (tenant_id, action, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_tenant_actor_at_idx ON audit_log (tenant_id, actor_id, at DESC, id DESC)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'login_throttle', 'signing_keys', 'refresh_tokens', 'api_keys', 'team_members', 'teams', 'users', 'tenants']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
