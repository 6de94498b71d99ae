import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TABLES = ['customer_profiles', 'customer_profile_facts', 'customer_timeline'];

/**
 * The 360° profile, built from other services' events and the service's own changes.
 *
 * `customer_profile_facts` keeps the latest state of each order, opportunity, ticket, CSAT answer and
 * contact of a customer, as the events told it (newer `version` wins). `customer_profiles` holds the
 * summary the profile route reads in one join with the customer: it is recomputed from the customer's
 * facts after every change of them, so the figures are exact whatever the order and repetition of the
 * events (an OrderCancelled before its OrderPlaced, a replay). Scores are copied from analytics as
 * they come (newer `scores_computed_at` wins).
 *
 * `customer_timeline`: one entry per event about the customer, its id the event's id (a redelivery
 * cannot add it twice). Entries may hold personal text (activity notes, ticket subjects, survey
 * comments), which an erasure removes.
 *
 * `customer_id` is the customer a row counts for now, `event_customer_id` the one its event named:
 * they differ for rows of customers merged into a survivor, so an undo can move them back. None of the
 * tables references `customers`: an event about a customer this service does not know yet is kept for
 * when the customer arrives.
 */
export class CustomerProfiles1737000000000 implements MigrationInterface {
  name = 'CustomerProfiles1737000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customer_profiles (
        customer_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        revenue jsonb NOT NULL DEFAULT '{}',
        orders_count integer NOT NULL DEFAULT 0,
        last_order_at timestamptz(3),
        open_opportunities_count integer NOT NULL DEFAULT 0,
        open_opportunities_amount jsonb NOT NULL DEFAULT '{}',
        open_tickets_count integer NOT NULL DEFAULT 0,
        last_contact_at timestamptz(3),
        csat_sum integer NOT NULL DEFAULT 0,
        csat_count integer NOT NULL DEFAULT 0,
        rfm_recency smallint,
        rfm_frequency smallint,
        rfm_monetary smallint,
        rfm_segment text,
        clv_historic_micros bigint,
        clv_predicted_micros bigint,
        clv_currency text,
        churn_probability real,
        churn_band text,
        value_tier text,
        vip boolean,
        scores_computed_at timestamptz(3),
        stage_pinned_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE customer_profile_facts (
        tenant_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('order', 'opportunity', 'ticket', 'survey', 'contact')),
        ref_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        event_customer_id uuid NOT NULL,
        status text NOT NULL,
        amount_micros bigint,
        currency text,
        score smallint,
        occurred_at timestamptz(3) NOT NULL,
        version bigint NOT NULL,
        PRIMARY KEY (tenant_id, kind, ref_id)
      )`);
    // The summary's recomputation reads one customer's facts; merges move them.
    await queryRunner.query(`CREATE INDEX customer_profile_facts_customer_idx ON customer_profile_facts (tenant_id, customer_id, kind)`);
    // Facts counted for a survivor, found by the merged customer they came from (undo, erasure).
    await queryRunner.query(`CREATE INDEX customer_profile_facts_moved_idx ON customer_profile_facts (tenant_id, event_customer_id) WHERE event_customer_id <> customer_id`);

    await queryRunner.query(`
      CREATE TABLE customer_timeline (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        event_customer_id uuid NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        title text NOT NULL,
        summary text,
        reference_id uuid,
        actor_id uuid,
        payload jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // The timeline, newest first, alone or filtered by type (several types: one range per type).
    await queryRunner.query(`CREATE INDEX customer_timeline_customer_idx ON customer_timeline (tenant_id, customer_id, occurred_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX customer_timeline_customer_type_idx ON customer_timeline (tenant_id, customer_id, type, occurred_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX customer_timeline_moved_idx ON customer_timeline (tenant_id, event_customer_id) WHERE event_customer_id <> customer_id`);

    for (const table of TABLES) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
