import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of writes (`Idempotency-Key` header), in every service database. Not under
 * row-level security: the interceptor reads them outside any tenant transaction, always by
 * (tenant_id, idempotency_key), and the tenant comes from the verified caller.
 */
export class IdempotencyKeys1700000000001 implements MigrationInterface {
  name = 'IdempotencyKeys1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'done')),
        status_code integer,
        response_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
