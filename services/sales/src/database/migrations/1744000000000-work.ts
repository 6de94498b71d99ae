import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = ['message_templates', 'message_template_versions', 'rep_plans', 'rep_plan_items', 'partners', 'partner_quotas', 'handovers'];

/**
 * The reps' daily work: communication templates and call scripts (versioned, one variant per locale),
 * rep plans with items and completion, partners with quotas per period, and the record of every
 * handover of a leaving user's work. Activities themselves live in the foundation's table; this adds the
 * indexes their list filters and the process report need.
 */
export class SalesWork1744000000000 implements MigrationInterface {
  name = 'SalesWork1744000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Activities: list by owner, by kind (newest first), and the process report by owner and time.
    await queryRunner.query(`CREATE INDEX activities_owner_created_idx ON activities (tenant_id, owner_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX activities_kind_created_idx ON activities (tenant_id, kind, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX activities_report_idx ON activities (tenant_id, owner_id, occurred_at) INCLUDE (kind, opportunity_id, status) WHERE status = 'done'`);
    await queryRunner.query(`CREATE INDEX activities_tasks_due_idx ON activities (tenant_id, owner_id, due_at) INCLUDE (status, completed_at) WHERE kind = 'task'`);

    // Templates: the working copy (variants as [{locale, subject, body}]) and every published version, frozen.
    await queryRunner.query(`
      CREATE TABLE message_templates (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('email', 'sms', 'wechat', 'call_script')),
        description text,
        variables text[] NOT NULL DEFAULT '{}',
        variants jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'published')),
        published_version integer,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX message_templates_name_idx ON message_templates (tenant_id, lower(name))`);
    await queryRunner.query(`CREATE INDEX message_templates_list_idx ON message_templates (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE message_template_versions (
        template_id uuid NOT NULL REFERENCES message_templates (id) ON DELETE CASCADE,
        published_version integer NOT NULL,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        variables text[] NOT NULL,
        variants jsonb NOT NULL,
        published_by uuid,
        published_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (template_id, published_version)
      )`);

    // Rep plans: one per rep and period; items count towards a target.
    await queryRunner.query(`
      CREATE TABLE rep_plans (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        period_type text NOT NULL CHECK (period_type IN ('day', 'week', 'month')),
        period_start date NOT NULL,
        period_end date NOT NULL,
        notes text,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (period_end > period_start)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX rep_plans_period_idx ON rep_plans (tenant_id, owner_id, period_type, period_start)`);
    await queryRunner.query(`CREATE INDEX rep_plans_list_idx ON rep_plans (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX rep_plans_range_idx ON rep_plans (tenant_id, period_start, owner_id)`);
    await queryRunner.query(`
      CREATE TABLE rep_plan_items (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        plan_id uuid NOT NULL REFERENCES rep_plans (id) ON DELETE CASCADE,
        position integer NOT NULL,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('call', 'visit', 'meeting', 'email', 'wechat', 'task', 'other')),
        target_count integer NOT NULL CHECK (target_count > 0),
        done_count integer NOT NULL DEFAULT 0 CHECK (done_count >= 0),
        count_activities boolean NOT NULL DEFAULT false,
        lead_id uuid,
        opportunity_id uuid,
        customer_id uuid
      )`);
    await queryRunner.query(`CREATE INDEX rep_plan_items_plan_idx ON rep_plan_items (plan_id, position)`);
    await queryRunner.query(`CREATE INDEX rep_plan_items_customer_idx ON rep_plan_items (customer_id) WHERE customer_id IS NOT NULL`);

    // Partners and their quotas per period ('2026', '2026-Q4', '2026-11').
    await queryRunner.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('distributor', 'reseller', 'agent', 'referral')),
        region text,
        contact_name text,
        contact_phone text,
        contact_email text,
        status text NOT NULL CHECK (status IN ('active', 'inactive')),
        commission_rate_bp integer CHECK (commission_rate_bp BETWEEN 0 AND 10000),
        notes text,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX partners_name_idx ON partners (tenant_id, lower(name))`);
    await queryRunner.query(`CREATE INDEX partners_list_idx ON partners (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE partner_quotas (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        partner_id uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
        period text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
        currency text NOT NULL CHECK (length(currency) = 3),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX partner_quotas_period_idx ON partner_quotas (tenant_id, partner_id, period)`);
    // Partner analysis reads only partners' orders and referral leads of a period (tables of 1741 and 1743).
    await queryRunner.query(`CREATE INDEX orders_partner_placed_idx ON orders (tenant_id, partner_id, placed_at) WHERE partner_id IS NOT NULL AND status <> 'cancelled'`);
    await queryRunner.query(`CREATE INDEX leads_partner_created_idx ON leads (tenant_id, partner_id, created_at) WHERE partner_id IS NOT NULL`);

    // Handovers: who handed what to whom, with the per-kind counts of what moved.
    await queryRunner.query(`
      CREATE TABLE handovers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        from_user_id uuid NOT NULL,
        to_user_id uuid,
        rules jsonb NOT NULL DEFAULT '[]',
        moved jsonb NOT NULL,
        customers_owned integer NOT NULL DEFAULT 0,
        customer_assignments integer NOT NULL DEFAULT 0,
        handed_over_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX handovers_list_idx ON handovers (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX handovers_from_idx ON handovers (tenant_id, from_user_id, created_at DESC)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const table of ['handovers', 'partner_quotas', 'partners', 'rep_plan_items', 'rep_plans', 'message_template_versions', 'message_templates']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const index of ['leads_partner_created_idx', 'orders_partner_placed_idx', 'activities_tasks_due_idx', 'activities_report_idx', 'activities_kind_created_idx', 'activities_owner_created_idx']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
