import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TENANT_OWNED = ['leads', 'lead_owner_loads', 'lead_scoring_rules', 'lead_assignment_rules', 'lead_assignment_cursors', 'lead_forms', 'lead_form_submissions'];

/** Statuses of a lead that is still being worked; every dedup probe and capacity count looks only at these. */
const OPEN = `status IN ('new', 'working', 'qualified')`;

/**
 * Leads, their tenant rules (scoring, assignment), the round-robin cursors and the public web forms.
 *
 * Capture (dedup + score + assign) must stay fast with a million leads, so every probe is an index
 * lookup: open leads by normalised phone and by e-mail (partial indexes on open leads), open leads'
 * company names by trigram in `lead_name_search`, and the open leads of a rep (capacity) in
 * `leads_owner_open_idx`. `lead_name_search` has no row-level security on purpose, like the foundation's
 * `customer_name_search`: under RLS the trigram operator (not leakproof) is evaluated after the policy,
 * so no GIN index could serve it. It is only read with an explicit tenant filter and joined back to the
 * RLS-protected `leads`, and it holds open leads only (a converted or disqualified lead leaves it).
 *
 * Rep capacity (max open leads) is read from `lead_owner_loads`, one counter per owner, so assignment
 * costs the same whether a rep has 10 open leads or 100,000. The counters are kept by statement-level
 * triggers on `leads` (transition tables, net change per owner), so every writer — captures, edits,
 * conversions, handovers, automation, imports, SQL by hand — keeps them right, and a statement that
 * changes no owner or status touches no counter (no lock).
 */
export class Leads1741000000000 implements MigrationInterface {
  name = 'Leads1741000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('web_form', 'event', 'partner_referral', 'import', 'manual', 'api')),
        status text NOT NULL CHECK (status IN ('new', 'working', 'qualified', 'converted', 'disqualified')),
        company_name text,
        contact_name text NOT NULL,
        phone text,
        email text,
        industry text,
        company_size integer CHECK (company_size >= 0),
        region text,
        campaign_id uuid,
        partner_id uuid,
        form_id uuid,
        notes text,
        owner_id uuid,
        team_id uuid,
        assignment_reason text,
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
        score_reasons jsonb NOT NULL DEFAULT '[]',
        scored_at timestamptz(3) NOT NULL DEFAULT now(),
        duplicate_of uuid,
        duplicate_similarity real,
        customer_id uuid,
        customer_match text CHECK (customer_match IN ('phone', 'email', 'name')),
        capture_count integer NOT NULL DEFAULT 1,
        last_interaction_at timestamptz(3) NOT NULL,
        opportunity_id uuid,
        converted_at timestamptz(3),
        converted_by uuid,
        disqualified_reason text,
        disqualified_at timestamptz(3),
        disqualified_by uuid,
        created_by uuid,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        version integer NOT NULL DEFAULT 1
      )`);
    // Lists: newest first, optionally by status or owner (keyset on created_at, id).
    await queryRunner.query(`CREATE INDEX leads_tenant_created_idx ON leads (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX leads_tenant_status_created_idx ON leads (tenant_id, status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX leads_tenant_owner_created_idx ON leads (tenant_id, owner_id, created_at DESC, id DESC)`);
    // Dedup probes and rep capacity: open leads only.
    await queryRunner.query(`CREATE INDEX leads_open_phone_idx ON leads (tenant_id, phone) WHERE ${OPEN} AND phone IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX leads_open_email_idx ON leads (tenant_id, email) WHERE ${OPEN} AND email IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX leads_owner_open_idx ON leads (tenant_id, owner_id) WHERE ${OPEN} AND owner_id IS NOT NULL`);
    // The rescoring job: open leads whose score is oldest (recency decays, activities add up).
    await queryRunner.query(`CREATE INDEX leads_open_scored_idx ON leads (scored_at) WHERE ${OPEN}`);
    // Customer merges re-point leads by customer id.
    await queryRunner.query(`CREATE INDEX leads_customer_idx ON leads (customer_id) WHERE customer_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE lead_owner_loads (
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        open_leads integer NOT NULL,
        PRIMARY KEY (tenant_id, user_id)
      )`);
    const netChange = (rows: string, sign: 1 | -1) => `SELECT tenant_id, owner_id, ${sign} AS change FROM ${rows} WHERE owner_id IS NOT NULL AND ${OPEN}`;
    const applyChanges = (changes: string) => `
        INSERT INTO lead_owner_loads AS loads (tenant_id, user_id, open_leads)
          SELECT tenant_id, owner_id, sum(change) FROM (${changes}) c GROUP BY tenant_id, owner_id HAVING sum(change) <> 0
        ON CONFLICT (tenant_id, user_id) DO UPDATE SET open_leads = loads.open_leads + EXCLUDED.open_leads;`;
    await queryRunner.query(`
      CREATE FUNCTION leads_count_owner_loads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN${applyChanges(netChange('new_rows', 1))}
        ELSIF TG_OP = 'UPDATE' THEN${applyChanges(`${netChange('new_rows', 1)} UNION ALL ${netChange('old_rows', -1)}`)}
        ELSE${applyChanges(netChange('old_rows', -1))}
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER leads_owner_loads_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_count_owner_loads()`);
    await queryRunner.query(`CREATE TRIGGER leads_owner_loads_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_count_owner_loads()`);
    await queryRunner.query(`CREATE TRIGGER leads_owner_loads_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_count_owner_loads()`);

    await queryRunner.query(`
      CREATE TABLE lead_name_search (
        lead_id uuid PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        name_key text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX lead_name_search_trgm_idx ON lead_name_search USING gin (name_key gin_trgm_ops)`);

    // One document per tenant; absent: the service's defaults.
    await queryRunner.query(`
      CREATE TABLE lead_scoring_rules (
        tenant_id uuid PRIMARY KEY,
        rules jsonb NOT NULL,
        version integer NOT NULL,
        updated_by uuid,
        updated_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE lead_assignment_rules (
        tenant_id uuid PRIMARY KEY,
        rules jsonb NOT NULL,
        version integer NOT NULL,
        updated_by uuid,
        updated_at timestamptz(3) NOT NULL
      )`);
    // Round-robin position per team and pool (all reps, or senior reps only), locked FOR UPDATE by each capture.
    await queryRunner.query(`
      CREATE TABLE lead_assignment_cursors (
        tenant_id uuid NOT NULL,
        team_id uuid NOT NULL,
        pool text NOT NULL CHECK (pool IN ('all', 'senior')),
        last_user_id uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, team_id, pool)
      )`);

    // Public web forms: the form key is the unguessable part of the public URL and finds the tenant.
    await queryRunner.query(`
      CREATE TABLE lead_forms (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        form_key text NOT NULL UNIQUE,
        name text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('web_form', 'event', 'partner_referral', 'import', 'manual', 'api')),
        fields text[] NOT NULL,
        campaign_id uuid,
        active boolean NOT NULL DEFAULT true,
        submissions_per_minute integer NOT NULL CHECK (submissions_per_minute > 0),
        rate_window_start timestamptz(3),
        rate_window_count integer NOT NULL DEFAULT 0,
        created_by uuid,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        version integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE INDEX lead_forms_tenant_created_idx ON lead_forms (tenant_id, created_at DESC, id DESC)`);
    // Fingerprints of recent submissions per form: the same submission again within the window is dropped.
    await queryRunner.query(`
      CREATE TABLE lead_form_submissions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        form_id uuid NOT NULL REFERENCES lead_forms (id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        lead_id uuid,
        submitted_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX lead_form_submissions_fingerprint_idx ON lead_form_submissions (form_id, fingerprint, submitted_at DESC)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS leads_owner_loads_${event} ON leads`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS leads_count_owner_loads()`);
    for (const table of ['lead_form_submissions', 'lead_forms', 'lead_assignment_cursors', 'lead_assignment_rules', 'lead_scoring_rules', 'lead_name_search', 'lead_owner_loads', 'leads']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
