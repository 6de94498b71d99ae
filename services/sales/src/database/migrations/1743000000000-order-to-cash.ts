import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = [
  'order_to_cash_settings',
  'exchange_rates',
  'order_to_cash_sequences',
  'products',
  'orders',
  'order_lines',
  'contracts',
  'contract_instalments',
  'contract_receipts',
  'receipt_allocations',
  'renewal_reminders',
];

/**
 * Order to cash: the product catalog, orders and their lines, contracts with payment schedules,
 * receipts and invoice status, renewal reminders, and what reports convert money with (the tenant's
 * reporting currency and its exchange rates). Money is bigint micros with an ISO 4217 currency; dates
 * that are calendar days (contract terms, due dates, rate validity) are `date`, moments timestamptz(3).
 *
 * Report-serving columns are denormalised on purpose: an instalment carries its contract's owner,
 * currency and whether it is collectible, and an order its costed revenue and cost, so the payment
 * forecast and the sales report group one table (plus a small join) on 1M rows.
 */
export class OrderToCash1743000000000 implements MigrationInterface {
  name = 'OrderToCash1743000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Tenant settings of this part: the currency reports are in, and how many days before a contract ends its owner is reminded.
    await queryRunner.query(`
      CREATE TABLE order_to_cash_settings (
        tenant_id uuid PRIMARY KEY,
        reporting_currency text NOT NULL DEFAULT 'CNY' CHECK (reporting_currency ~ '^[A-Z]{3}$'),
        renewal_reminder_days integer NOT NULL DEFAULT 30 CHECK (renewal_reminder_days BETWEEN 1 AND 365),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    // 1 unit of `currency` = `rate` units of `to_currency` (the reporting currency the rate was entered for), from `valid_from` until the next rate.
    await queryRunner.query(`
      CREATE TABLE exchange_rates (
        tenant_id uuid NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        to_currency text NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
        valid_from date NOT NULL,
        rate numeric(30, 12) NOT NULL CHECK (rate > 0),
        updated_by uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, to_currency, currency, valid_from),
        CHECK (currency <> to_currency)
      )`);

    // Per-tenant, per-year numbering of orders (SO-2026-000001) and contracts (HT-2026-000001).
    await queryRunner.query(`
      CREATE TABLE order_to_cash_sequences (
        tenant_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('order', 'contract')),
        year integer NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (tenant_id, kind, year)
      )`);

    await queryRunner.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        sku text NOT NULL,
        name text NOT NULL,
        category text,
        unit_price_micros bigint NOT NULL CHECK (unit_price_micros >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        unit_cost_micros bigint CHECK (unit_cost_micros >= 0),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX products_tenant_sku_key ON products (tenant_id, sku)`);
    await queryRunner.query(`CREATE INDEX products_tenant_created_idx ON products (tenant_id, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        order_number text NOT NULL,
        external_id text,
        payload_hash text NOT NULL,
        customer_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('placed', 'paid', 'fulfilled', 'cancelled')),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        subtotal_micros bigint NOT NULL,
        discount_micros bigint NOT NULL DEFAULT 0,
        total_micros bigint NOT NULL,
        costed_revenue_micros bigint NOT NULL DEFAULT 0,
        cost_micros bigint NOT NULL DEFAULT 0,
        coupon_codes text[] NOT NULL DEFAULT '{}',
        channel text NOT NULL DEFAULT 'sales',
        opportunity_id uuid,
        partner_id uuid,
        notes text,
        placed_by uuid,
        placed_at timestamptz(3) NOT NULL,
        paid_at timestamptz(3),
        fulfilled_at timestamptz(3),
        cancelled_at timestamptz(3),
        cancelled_by uuid,
        cancel_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX orders_tenant_number_key ON orders (tenant_id, order_number)`);
    await queryRunner.query(`CREATE UNIQUE INDEX orders_tenant_external_id_key ON orders (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX orders_tenant_placed_idx ON orders (tenant_id, placed_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX orders_owner_placed_idx ON orders (tenant_id, owner_id, placed_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at DESC)`);
    // The sales report: revenue of a period, without cancelled orders, read from the index alone where the visibility map allows.
    await queryRunner.query(`
      CREATE INDEX orders_revenue_idx ON orders (tenant_id, placed_at)
        INCLUDE (owner_id, partner_id, customer_id, currency, total_micros, costed_revenue_micros, cost_micros)
        WHERE status <> 'cancelled'`);

    await queryRunner.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        product_id uuid,
        sku text,
        name text NOT NULL,
        category text,
        quantity numeric(18, 6) NOT NULL CHECK (quantity > 0),
        unit_price_micros bigint NOT NULL CHECK (unit_price_micros >= 0),
        discount_micros bigint NOT NULL DEFAULT 0 CHECK (discount_micros >= 0),
        line_total_micros bigint NOT NULL,
        net_micros bigint NOT NULL,
        unit_cost_micros bigint,
        cost_micros bigint,
        placed_at timestamptz(3) NOT NULL,
        currency text NOT NULL,
        owner_id uuid NOT NULL,
        cancelled boolean NOT NULL DEFAULT false,
        first_of_product boolean NOT NULL,
        UNIQUE (order_id, line_no)
      )`);
    // The sales report by product reads lines alone: the order's day, currency, owner and cancellation are copied onto them,
    // and first_of_product marks one line per (order, product) so orders per product are counted without DISTINCT.
    await queryRunner.query(`CREATE INDEX order_lines_revenue_idx ON order_lines (tenant_id, placed_at) WHERE NOT cancelled`);

    await queryRunner.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_number text NOT NULL,
        title text NOT NULL,
        customer_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        opportunity_id uuid,
        order_id uuid,
        amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        start_date date NOT NULL,
        end_date date,
        terms text,
        status text NOT NULL CHECK (status IN ('draft', 'signed', 'active', 'expired', 'terminated')),
        signed_at timestamptz(3),
        ended_at timestamptz(3),
        created_by uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (end_date IS NULL OR end_date >= start_date)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX contracts_tenant_number_key ON contracts (tenant_id, contract_number)`);
    await queryRunner.query(`CREATE INDEX contracts_tenant_created_idx ON contracts (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX contracts_owner_created_idx ON contracts (tenant_id, owner_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX contracts_customer_idx ON contracts (customer_id)`);
    // Renewal reminders scan contracts in force by end date, across tenants.
    await queryRunner.query(`CREATE INDEX contracts_in_force_end_idx ON contracts (end_date) WHERE status IN ('signed', 'active') AND end_date IS NOT NULL`);

    // Instalments carry their contract's owner and currency, and whether the contract is collectible (signed, active, expired), for the payment forecast.
    await queryRunner.query(`
      CREATE TABLE contract_instalments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        due_date date NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros > 0),
        received_micros bigint NOT NULL DEFAULT 0 CHECK (received_micros >= 0 AND received_micros <= amount_micros),
        currency text NOT NULL,
        owner_id uuid NOT NULL,
        collectible boolean NOT NULL,
        invoice_status text NOT NULL DEFAULT 'none' CHECK (invoice_status IN ('none', 'requested', 'issued', 'sent')),
        invoice_number text,
        invoice_updated_at timestamptz(3),
        UNIQUE (contract_id, seq)
      )`);
    await queryRunner.query(`
      CREATE INDEX contract_instalments_open_due_idx ON contract_instalments (tenant_id, due_date)
        INCLUDE (owner_id, currency, amount_micros, received_micros)
        WHERE collectible AND received_micros < amount_micros`);

    await queryRunner.query(`
      CREATE TABLE contract_receipts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
        amount_micros bigint NOT NULL CHECK (amount_micros > 0),
        currency text NOT NULL,
        received_at timestamptz(3) NOT NULL,
        reference text,
        recorded_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX contract_receipts_contract_idx ON contract_receipts (contract_id, received_at)`);
    await queryRunner.query(`
      CREATE TABLE receipt_allocations (
        receipt_id uuid NOT NULL REFERENCES contract_receipts (id) ON DELETE CASCADE,
        instalment_id uuid NOT NULL REFERENCES contract_instalments (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros > 0),
        PRIMARY KEY (receipt_id, instalment_id)
      )`);
    await queryRunner.query(`CREATE INDEX receipt_allocations_instalment_idx ON receipt_allocations (instalment_id)`);

    // One row per contract and end date reminded of: the unique key that makes the reminder exactly-once.
    await queryRunner.query(`
      CREATE TABLE renewal_reminders (
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
        end_date date NOT NULL,
        task_id uuid,
        reminded_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, contract_id, end_date)
      )`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const table of [...TENANT_OWNED].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
