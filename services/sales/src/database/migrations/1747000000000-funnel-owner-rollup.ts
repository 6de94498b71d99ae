import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropFunnelOwnerRollupTriggerSql, FUNNEL_ROLLUP_BACKFILL, FUNNEL_ROLLUP_KEY_INDEX, funnelOwnerRollupTriggersSql } from '../../funnel/funnel-owner-rollup.sql';
import { funnelRollupFunctionsV1Sql } from '../../funnel/funnel-rollup.sql';

/**
 * The funnel roll-up per owner: `funnel_rollup` gets `owner_id` in its key (NULL = every owner, the rows
 * the whole-tenant funnel reads), so a rep's, a team's or a manager's funnel over whole days reads the
 * roll-up too instead of the base tables. The trigger functions are replaced (same triggers) so owner changes
 * (PATCH, handover) move an opportunity's sums, stage reach included, from the old owner to the new one; see
 * funnel/funnel-owner-rollup.sql.ts.
 *
 * The roll-up is recomputed from the base tables in the same transaction, with opportunities and stage
 * reach locked against writers (SHARE ROW EXCLUSIVE) until commit, so no change is missed or counted twice.
 * down() keeps the all-owner rows (version 1's rows, exact) and restores version 1's key and functions.
 */
export class FunnelOwnerRollup1747000000000 implements MigrationInterface {
  name = 'FunnelOwnerRollup1747000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE opportunities, opportunity_stage_reach, funnel_rollup IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`ALTER TABLE funnel_rollup DROP CONSTRAINT funnel_rollup_pkey`);
    await queryRunner.query(`ALTER TABLE funnel_rollup ADD COLUMN owner_id uuid`);
    await queryRunner.query(FUNNEL_ROLLUP_KEY_INDEX);
    for (const statement of funnelOwnerRollupTriggersSql()) await queryRunner.query(statement);

    // Every tenant's rows (row-level security would show none without a tenant): bypass for this transaction only.
    await queryRunner.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
    await queryRunner.query(`DELETE FROM funnel_rollup`);
    await queryRunner.query(FUNNEL_ROLLUP_BACKFILL);
    await queryRunner.query(`SELECT set_config('app.rls_bypass', '', true)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE opportunities, opportunity_stage_reach, funnel_rollup IN SHARE ROW EXCLUSIVE MODE`);
    for (const statement of dropFunnelOwnerRollupTriggerSql()) await queryRunner.query(statement);
    for (const statement of funnelRollupFunctionsV1Sql()) await queryRunner.query(statement);
    await queryRunner.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
    await queryRunner.query(`DELETE FROM funnel_rollup WHERE owner_id IS NOT NULL`);
    await queryRunner.query(`SELECT set_config('app.rls_bypass', '', true)`);
    await queryRunner.query(`DROP INDEX funnel_rollup_key_idx`);
    await queryRunner.query(`ALTER TABLE funnel_rollup DROP COLUMN owner_id`);
    await queryRunner.query(`ALTER TABLE funnel_rollup ADD PRIMARY KEY (tenant_id, pipeline_id, opened_day, stage, currency)`);
  }
}
