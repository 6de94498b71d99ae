import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = ['automation_rules', 'automation_runs'];
const OPEN_LEAD = `status IN ('new', 'working', 'qualified')`;

/**
 * Automation rules ("when X then Y" on sales events) and their runs, one per (rule, subject), and the
 * `draft` order status: an order an automation prepared (opportunity won → order draft) that is no sale
 * until it is placed. Drafts are left out of every revenue read, so the revenue indexes exclude them.
 */
export class Automation1745000000000 implements MigrationInterface {
  name = 'Automation1745000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Orders: draft status; order lines say whether their order is a draft (the sales report by product reads lines alone).
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check`);
    await queryRunner.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('draft', 'placed', 'paid', 'fulfilled', 'cancelled'))`);
    await queryRunner.query(`ALTER TABLE order_lines ADD COLUMN draft boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`DROP INDEX IF EXISTS orders_revenue_idx`);
    await queryRunner.query(`
      CREATE INDEX orders_revenue_idx ON orders (tenant_id, placed_at)
        INCLUDE (owner_id, partner_id, customer_id, currency, total_micros, costed_revenue_micros, cost_micros)
        WHERE status NOT IN ('draft', 'cancelled')`);
    await queryRunner.query(`DROP INDEX IF EXISTS order_lines_revenue_idx`);
    await queryRunner.query(`CREATE INDEX order_lines_revenue_idx ON order_lines (tenant_id, placed_at) WHERE NOT cancelled AND NOT draft`);
    await queryRunner.query(`DROP INDEX IF EXISTS orders_partner_placed_idx`);
    await queryRunner.query(`CREATE INDEX orders_partner_placed_idx ON orders (tenant_id, partner_id, placed_at) WHERE partner_id IS NOT NULL AND status NOT IN ('draft', 'cancelled')`);

    // Rules: conditions and params are validated per trigger and action by the service (automation-rule-documents.ts).
    await queryRunner.query(`
      CREATE TABLE automation_rules (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('order_placed', 'opportunity_won', 'lead_unassigned')),
        action text NOT NULL CHECK (action IN ('draft_contract_with_invoice_request', 'draft_order', 'escalate_lead')),
        conditions jsonb NOT NULL DEFAULT '{}',
        params jsonb NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        updated_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX automation_rules_name_key ON automation_rules (tenant_id, lower(name))`);
    await queryRunner.query(`CREATE INDEX automation_rules_list_idx ON automation_rules (tenant_id, created_at DESC, id DESC)`);
    // Consumers load a tenant's active rules of one trigger; the escalation job finds tenants with active lead rules.
    await queryRunner.query(`CREATE INDEX automation_rules_active_trigger_idx ON automation_rules (trigger, tenant_id) WHERE active`);

    // One run per (rule, subject): inserted in the transaction of the rule's effects, so an effect exists exactly once.
    // A failed run keeps the key but is retried when the subject comes up again (redelivered event, next job run).
    await queryRunner.query(`
      CREATE TABLE automation_runs (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        rule_id uuid NOT NULL REFERENCES automation_rules (id) ON DELETE CASCADE,
        subject_kind text NOT NULL CHECK (subject_kind IN ('order', 'opportunity', 'lead')),
        subject_id uuid NOT NULL,
        event_id uuid,
        outcome text NOT NULL CHECK (outcome IN ('created', 'skipped', 'failed')),
        created_entities jsonb NOT NULL DEFAULT '{}',
        detail text,
        error text,
        attempts integer NOT NULL DEFAULT 1,
        at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, rule_id, subject_id)
      )`);
    await queryRunner.query(`CREATE INDEX automation_runs_rule_at_idx ON automation_runs (tenant_id, rule_id, at DESC, id DESC)`);

    // Escalation scan: open leads without an owner, oldest first.
    await queryRunner.query(`CREATE INDEX leads_unassigned_open_idx ON leads (tenant_id, created_at) WHERE ${OPEN_LEAD} AND owner_id IS NULL`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    await queryRunner.query(`DROP INDEX IF EXISTS leads_unassigned_open_idx`);
    await queryRunner.query(`DROP TABLE IF EXISTS automation_runs`);
    await queryRunner.query(`DROP TABLE IF EXISTS automation_rules`);
    // Drafts cannot be expressed any more: they go (they were never sales).
    await queryRunner.query(`DELETE FROM orders WHERE status = 'draft'`);
    await queryRunner.query(`DROP INDEX IF EXISTS orders_partner_placed_idx`);
    await queryRunner.query(`CREATE INDEX orders_partner_placed_idx ON orders (tenant_id, partner_id, placed_at) WHERE partner_id IS NOT NULL AND status <> 'cancelled'`);
    await queryRunner.query(`DROP INDEX IF EXISTS order_lines_revenue_idx`);
    await queryRunner.query(`CREATE INDEX order_lines_revenue_idx ON order_lines (tenant_id, placed_at) WHERE NOT cancelled`);
    await queryRunner.query(`DROP INDEX IF EXISTS orders_revenue_idx`);
    await queryRunner.query(`
      CREATE INDEX orders_revenue_idx ON orders (tenant_id, placed_at)
        INCLUDE (owner_id, partner_id, customer_id, currency, total_micros, costed_revenue_micros, cost_micros)
        WHERE status <> 'cancelled'`);
    await queryRunner.query(`ALTER TABLE order_lines DROP COLUMN draft`);
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check`);
    await queryRunner.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('placed', 'paid', 'fulfilled', 'cancelled'))`);
  }
}
