import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = ['users', 'user_team_members', 'teams', 'customer_directory', 'customer_contact_keys', 'customer_merge_repoints', 'ticket_types', 'ticket_counters', 'tickets', 'ticket_comments', 'ticket_history'];

/** Statuses in which a ticket is still being worked on (and counts towards an agent's load). */
const ACTIVE_STATUSES = `('new', 'open', 'pending_customer')`;

/**
 * What every part of ticketing stands on: read models of identity's users and teams (agents, team
 * managers for escalation) and of the customers service's customers (contact matching, value tier and
 * VIP flag for routing and SLA policies, merges), and the tickets with their comments and field history.
 * Routing, SLA, channels, knowledge base and CSAT add their own tables in later migrations. Times are
 * timestamptz(3), so keyset cursors compare exactly.
 */
export class TicketingFoundation1750000000000 implements MigrationInterface {
  name = 'TicketingFoundation1750000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Read model of identity.user.v1 (the platform's users read model).
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

    // Read model of identity.team.v1: a team's name and its manager, whom breached tickets escalate to.
    await queryRunner.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        manager_id uuid,
        version bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX teams_tenant_idx ON teams (tenant_id)`);

    // Read model of customers.customer.v1 and analytics.score.v1. A merged customer points at its survivor; an erased one keeps only its id.
    await queryRunner.query(`
      CREATE TABLE customer_directory (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        owner_id uuid,
        value_tier text NOT NULL DEFAULT '',
        key_account boolean NOT NULL DEFAULT false,
        vip boolean NOT NULL DEFAULT false,
        scores_computed_at timestamptz(3),
        status text NOT NULL CHECK (status IN ('active', 'deleted', 'merged', 'erased')),
        merged_into uuid,
        version bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX customer_directory_tenant_idx ON customer_directory (tenant_id)`);
    // Normalised phones ('p:+8613800138000') and e-mails ('e:li@example.com') of live customers: raw contacts on tickets and calls are matched here.
    await queryRunner.query(`
      CREATE TABLE customer_contact_keys (
        tenant_id uuid NOT NULL,
        contact_key text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer_directory (id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, contact_key, customer_id)
      )`);
    await queryRunner.query(`CREATE INDEX customer_contact_keys_customer_idx ON customer_contact_keys (customer_id)`);
    await queryRunner.query(`
      CREATE TABLE customer_merge_repoints (
        tenant_id uuid NOT NULL,
        merge_id uuid NOT NULL,
        table_name text NOT NULL,
        row_id uuid NOT NULL,
        from_customer_id uuid NOT NULL,
        PRIMARY KEY (merge_id, table_name, row_id)
      )`);

    // Tenant ticket types beyond the built-in ones (technical_support, returns, billing, complaint, consultation).
    await queryRunner.query(`
      CREATE TABLE ticket_types (
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        name text NOT NULL,
        name_en text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);
    // Ticket numbers (T-2026-000123) run per tenant and year.
    await queryRunner.query(`
      CREATE TABLE ticket_counters (
        tenant_id uuid NOT NULL,
        year integer NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (tenant_id, year)
      )`);

    await queryRunner.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        number text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('phone', 'email', 'web', 'app', 'fax', 'chat', 'wechat')),
        type text NOT NULL,
        priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        status text NOT NULL CHECK (status IN ('new', 'open', 'pending_customer', 'resolved', 'closed')),
        subject text NOT NULL,
        body text NOT NULL DEFAULT '',
        locale text NOT NULL DEFAULT 'zh-CN',
        customer_id uuid,
        contact_name text,
        contact_phone text,
        contact_email text,
        customer_tier text NOT NULL DEFAULT '',
        team_id uuid,
        assignee_id uuid,
        routing_rule_id uuid,
        sla_policy_id uuid,
        sla_status text NOT NULL DEFAULT 'none' CHECK (sla_status IN ('none', 'on_track', 'warning', 'breached', 'paused', 'met')),
        first_response_due_at timestamptz(3),
        first_responded_at timestamptz(3),
        next_response_due_at timestamptz(3),
        resolution_due_at timestamptz(3),
        resolution text,
        resolved_at timestamptz(3),
        resolved_by uuid,
        closed_at timestamptz(3),
        reopened_count integer NOT NULL DEFAULT 0,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX tickets_number_idx ON tickets (tenant_id, number)`);
    await queryRunner.query(`CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX tickets_status_created_idx ON tickets (tenant_id, status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX tickets_assignee_active_idx ON tickets (tenant_id, assignee_id, created_at DESC, id DESC) WHERE status IN ${ACTIVE_STATUSES}`);
    await queryRunner.query(`CREATE INDEX tickets_team_created_idx ON tickets (tenant_id, team_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX tickets_customer_idx ON tickets (customer_id, created_at DESC) WHERE customer_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE ticket_comments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        author_type text NOT NULL CHECK (author_type IN ('agent', 'customer', 'system')),
        author_id uuid,
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        channel text NOT NULL,
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        kb_article_ids uuid[] NOT NULL DEFAULT '{}',
        email_message_id text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at, id)`);

    // Field-level history of tickets: who changed what, when.
    await queryRunner.query(`
      CREATE TABLE ticket_history (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        field text NOT NULL,
        old_value text,
        new_value text,
        changed_by uuid,
        changed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ticket_history_ticket_idx ON ticket_history (ticket_id, id)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const table of ['ticket_history', 'ticket_comments', 'tickets', 'ticket_counters', 'ticket_types', 'customer_merge_repoints', 'customer_contact_keys', 'customer_directory', 'teams', 'user_team_members', 'users']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
