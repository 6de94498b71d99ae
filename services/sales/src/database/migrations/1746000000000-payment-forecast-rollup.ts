import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

/** Instalments still owed: of a collectible contract (signed, active, expired) and not fully received. */
const OPEN = 'collectible AND received_micros < amount_micros';

/** One side of a statement's change from transition table `rows`: its open instalments with sign `sign`. */
const contribution = (rows: 'new_rows' | 'old_rows', sign: 1 | -1): string =>
  `SELECT tenant_id, owner_id, currency, due_date, ${sign}::bigint * (amount_micros - received_micros) AS open_micros, ${sign}::bigint AS instalments
     FROM ${rows} WHERE ${OPEN}`;

/** The net change per roll-up row; rows whose net change is zero (invoice status, unrelated edits) are left out. */
const delta = (contributions: string[]): string => `
  SELECT tenant_id, owner_id, currency, due_date, sum(open_micros) AS open_micros, sum(instalments) AS instalments
    FROM (${contributions.join(' UNION ALL ')}) c
   GROUP BY tenant_id, owner_id, currency, due_date
  HAVING sum(open_micros) <> 0 OR sum(instalments) <> 0`;

/**
 * The body of a trigger function applying the net change: an advisory lock per (tenant, owner) touched,
 * in key order, then the upsert in key order, then the rows that reached 0 instalments are deleted.
 */
const applyDelta = (contributions: string[]): string => `
  DECLARE
    emptied_tenants uuid[];
    emptied_owners uuid[];
    emptied_currencies text[];
    emptied_days date[];
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('instalment_open_rollup:' || l.tenant_id::text || ':' || l.owner_id::text, 0))
       FROM (SELECT DISTINCT d.tenant_id, d.owner_id FROM (${delta(contributions)}) d ORDER BY 1, 2) l;
    WITH changed AS (
      INSERT INTO instalment_open_rollup AS r (tenant_id, owner_id, currency, due_date, open_micros, instalments)
      SELECT * FROM (${delta(contributions)}) d ORDER BY tenant_id, owner_id, currency, due_date
      ON CONFLICT (tenant_id, owner_id, currency, due_date) DO UPDATE
        SET open_micros = r.open_micros + EXCLUDED.open_micros, instalments = r.instalments + EXCLUDED.instalments
      RETURNING r.tenant_id, r.owner_id, r.currency, r.due_date, r.instalments
    )
    SELECT array_agg(tenant_id), array_agg(owner_id), array_agg(currency), array_agg(due_date)
      INTO emptied_tenants, emptied_owners, emptied_currencies, emptied_days
      FROM changed WHERE instalments = 0;
    IF emptied_tenants IS NOT NULL THEN
      DELETE FROM instalment_open_rollup r
       USING unnest(emptied_tenants, emptied_owners, emptied_currencies, emptied_days) AS e (tenant_id, owner_id, currency, due_date)
       WHERE r.tenant_id = e.tenant_id AND r.owner_id = e.owner_id AND r.currency = e.currency AND r.due_date = e.due_date AND r.instalments = 0;
    END IF;
    RETURN NULL;
  END`;

const TRIGGERS = [
  { name: 'contract_instalments_open_rollup_insert', event: 'INSERT', referencing: 'REFERENCING NEW TABLE AS new_rows', contributions: [contribution('new_rows', 1)] },
  {
    name: 'contract_instalments_open_rollup_update',
    event: 'UPDATE',
    referencing: 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
    contributions: [contribution('new_rows', 1), contribution('old_rows', -1)],
  },
  { name: 'contract_instalments_open_rollup_delete', event: 'DELETE', referencing: 'REFERENCING OLD TABLE AS old_rows', contributions: [contribution('old_rows', -1)] },
] as const;
const TRUNCATE_TRIGGER = 'contract_instalments_open_rollup_truncate';

/**
 * The payment forecast's roll-up: per tenant, owner, currency and due date, the open amount
 * (amount - received) and the number of open instalments of collectible contracts. The forecast groups
 * these (a few rows per owner and day) instead of every open instalment, and converts them at the rate of
 * the due date exactly as before (the rate depends on currency and due date only, both in the key).
 *
 * Kept exact by statement-level triggers on `contract_instalments` with transition tables (like
 * `funnel_rollup` and `lead_owner_loads`): every INSERT, UPDATE or DELETE — schedules, receipts,
 * contract status and owner changes, handovers, cascades from deleted contracts, bulk loads, SQL by
 * hand — subtracts its old open rows and adds its new ones, net per roll-up row; a statement that
 * changes no open figure (invoice status) touches no row and takes no lock. Rows that reach 0
 * instalments are deleted, so the roll-up holds only what is owed. Writers that change it take a
 * transaction-level advisory lock per (tenant, owner) first, in key order, so two transactions never
 * lock one owner's roll-up rows in opposite orders.
 *
 * Backfilled from the existing rows in the same transaction that creates the triggers (CREATE TRIGGER
 * blocks writers to contract_instalments until commit, so no change is missed or counted twice).
 */
export class PaymentForecastRollup1746000000000 implements MigrationInterface {
  name = 'PaymentForecastRollup1746000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE instalment_open_rollup (
        tenant_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        currency text NOT NULL,
        due_date date NOT NULL,
        open_micros bigint NOT NULL,
        instalments integer NOT NULL,
        PRIMARY KEY (tenant_id, owner_id, currency, due_date)
      )`);
    // The forecast's earliest open due date and its due-date ranges; open_micros/instalments are not indexed, so updates stay HOT.
    await queryRunner.query(`CREATE INDEX instalment_open_rollup_due_idx ON instalment_open_rollup (tenant_id, due_date)`);
    for (const statement of tenantIsolationSql('instalment_open_rollup')) await queryRunner.query(statement);

    for (const trigger of TRIGGERS) {
      await queryRunner.query(`CREATE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$${applyDelta([...trigger.contributions])}$fn$`);
      await queryRunner.query(
        `CREATE TRIGGER ${trigger.name} AFTER ${trigger.event} ON contract_instalments ${trigger.referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${trigger.name}()`,
      );
    }

    // TRUNCATE (all tenants, no transition table) empties the roll-up with it.
    await queryRunner.query(`CREATE FUNCTION ${TRUNCATE_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN TRUNCATE instalment_open_rollup; RETURN NULL; END $fn$`);
    await queryRunner.query(`CREATE TRIGGER ${TRUNCATE_TRIGGER} AFTER TRUNCATE ON contract_instalments FOR EACH STATEMENT EXECUTE FUNCTION ${TRUNCATE_TRIGGER}()`);

    // Every tenant's open instalments (row-level security would show none without a tenant): bypass for this transaction only.
    await queryRunner.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
    await queryRunner.query(`
      INSERT INTO instalment_open_rollup (tenant_id, owner_id, currency, due_date, open_micros, instalments)
      SELECT tenant_id, owner_id, currency, due_date, sum(amount_micros - received_micros), count(*)
        FROM contract_instalments
       WHERE ${OPEN}
       GROUP BY tenant_id, owner_id, currency, due_date`);
    await queryRunner.query(`SELECT set_config('app.rls_bypass', '', true)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [...TRIGGERS.map((trigger) => trigger.name), TRUNCATE_TRIGGER]) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${name} ON contract_instalments`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${name}()`);
    }
    for (const statement of dropTenantIsolationSql('instalment_open_rollup')) await queryRunner.query(statement);
    await queryRunner.query(`DROP TABLE IF EXISTS instalment_open_rollup`);
  }
}
