import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';
import { dropFunnelRollupTriggersSql, FUNNEL_ROLLUP_TABLE, funnelRollupTriggersSql } from '../../funnel/funnel-rollup.sql';

const TENANT_OWNED = ['pipelines', 'pipeline_stages', 'opportunities', 'opportunity_stage_history', 'opportunity_stage_reach', 'funnel_rollup', 'quotas'];

/**
 * Pipelines and their stages, opportunities with their stage history, and quotas.
 *
 * - `opportunity_stage_history`: one row per stay of an opportunity in a stage (entered from which stage,
 *   when, by whom; left when, days spent). It is the audit trail the API shows.
 * - `opportunity_stage_reach`: one row per opportunity and stage it ever entered, kept up to date by every
 *   move: first entry, whether it later reached a later stage (or was won), time spent in finished stays.
 *   It carries the pipeline and the opportunity's opened_at, so the funnel report is one GROUP BY over an
 *   index range (tenant, pipeline, opened_at) instead of window functions over the whole history.
 * - `funnel_rollup`: the funnel's sums per opened day, kept by triggers (see funnel/funnel-rollup.sql.ts),
 *   so a funnel over a year of a million opportunities reads a few thousand rows.
 * - `opportunities.last_touched_at`: the last stage change or update; the rotting scan reads a partial
 *   index on it (open opportunities only) and checks activities only for the candidates.
 */
export class Pipeline1742000000000 implements MigrationInterface {
  name = 'Pipeline1742000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pipelines (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // One default pipeline per tenant; creating it lazily relies on this index to stay single under races.
    await queryRunner.query(`CREATE UNIQUE INDEX pipelines_tenant_default_idx ON pipelines (tenant_id) WHERE is_default`);
    await queryRunner.query(`CREATE INDEX pipelines_tenant_created_idx ON pipelines (tenant_id, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE pipeline_stages (
        pipeline_id uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        key text NOT NULL,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        name_en text,
        kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
        position integer NOT NULL,
        probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
        rotting_days integer CHECK (rotting_days > 0),
        PRIMARY KEY (pipeline_id, key)
      )`);

    await queryRunner.query(`
      CREATE TABLE opportunities (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        customer_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        pipeline_id uuid NOT NULL REFERENCES pipelines (id),
        stage text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
        amount_micros bigint NOT NULL DEFAULT 0,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        expected_close_date date,
        line_items jsonb NOT NULL DEFAULT '[]',
        lead_id uuid,
        partner_id uuid,
        lost_reason text,
        competitor text,
        stage_entered_at timestamptz(3) NOT NULL,
        last_touched_at timestamptz(3) NOT NULL,
        opened_at timestamptz(3) NOT NULL,
        closed_at timestamptz(3),
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE INDEX opportunities_tenant_created_idx ON opportunities (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX opportunities_owner_created_idx ON opportunities (tenant_id, owner_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX opportunities_customer_created_idx ON opportunities (tenant_id, customer_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX opportunities_pipeline_stage_idx ON opportunities (tenant_id, pipeline_id, stage, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX opportunities_lead_idx ON opportunities (lead_id) WHERE lead_id IS NOT NULL`);
    // Funnel: the cohort of a pipeline opened in a range, with what the snapshot part sums.
    await queryRunner.query(
      `CREATE INDEX opportunities_funnel_idx ON opportunities (tenant_id, pipeline_id, opened_at) INCLUDE (owner_id, stage, status, amount_micros, currency, closed_at)`,
    );
    // Funnel of an owner or a team (owner = ANY(...)): the same, per owner.
    await queryRunner.query(
      `CREATE INDEX opportunities_owner_funnel_idx ON opportunities (tenant_id, owner_id, pipeline_id, opened_at) INCLUDE (stage, status, amount_micros, currency, closed_at)`,
    );
    // Forecast: open ones by expected close, won ones by close time.
    await queryRunner.query(
      `CREATE INDEX opportunities_open_close_date_idx ON opportunities (tenant_id, expected_close_date) INCLUDE (owner_id, pipeline_id, stage, amount_micros, currency) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX opportunities_won_closed_idx ON opportunities (tenant_id, closed_at) INCLUDE (owner_id, amount_micros, currency) WHERE status = 'won'`);
    // Rotting scan and handover: open ones by last touch / by owner.
    await queryRunner.query(`CREATE INDEX opportunities_open_touched_idx ON opportunities (last_touched_at) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX opportunities_open_owner_idx ON opportunities (tenant_id, owner_id) WHERE status = 'open'`);

    await queryRunner.query(`
      CREATE TABLE opportunity_stage_history (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL,
        opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
        pipeline_id uuid NOT NULL,
        from_stage text,
        stage text NOT NULL,
        entered_at timestamptz(3) NOT NULL,
        entered_by uuid,
        left_at timestamptz(3),
        days_in_stage numeric(12, 3)
      )`);
    await queryRunner.query(`CREATE INDEX opportunity_stage_history_opportunity_idx ON opportunity_stage_history (opportunity_id, seq)`);
    await queryRunner.query(`CREATE INDEX opportunity_stage_history_pipeline_idx ON opportunity_stage_history (tenant_id, pipeline_id, entered_at)`);

    await queryRunner.query(`
      CREATE TABLE opportunity_stage_reach (
        opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
        stage text NOT NULL,
        tenant_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        opened_at timestamptz(3) NOT NULL,
        first_entered_at timestamptz(3) NOT NULL,
        advanced boolean NOT NULL DEFAULT false,
        stays_finished integer NOT NULL DEFAULT 0,
        finished_ms bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (opportunity_id, stage)
      )`);
    await queryRunner.query(
      `CREATE INDEX opportunity_stage_reach_funnel_idx ON opportunity_stage_reach (tenant_id, pipeline_id, opened_at) INCLUDE (stage, advanced, stays_finished, finished_ms)`,
    );

    // Sums per (tenant, pipeline, opened day, stage, currency) kept by triggers: the funnel over whole days reads these.
    await queryRunner.query(FUNNEL_ROLLUP_TABLE);
    for (const statement of funnelRollupTriggersSql()) await queryRunner.query(statement);

    await queryRunner.query(`
      CREATE TABLE quotas (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'team')),
        subject_id uuid NOT NULL,
        period text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        version integer NOT NULL DEFAULT 1,
        updated_by uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT quotas_subject_period_key UNIQUE (tenant_id, subject_kind, subject_id, period)
      )`);
    await queryRunner.query(`CREATE INDEX quotas_period_idx ON quotas (tenant_id, period)`);

    for (const table of TENANT_OWNED) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropFunnelRollupTriggersSql()) await queryRunner.query(statement);
    for (const table of [...TENANT_OWNED].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
    }
    for (const table of ['quotas', 'funnel_rollup', 'opportunity_stage_reach', 'opportunity_stage_history', 'opportunities', 'pipeline_stages', 'pipelines']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
