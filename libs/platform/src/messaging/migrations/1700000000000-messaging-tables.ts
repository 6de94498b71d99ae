import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox, inbox and dead-letter tables every service database has. Appended automatically to each
 * service's own migrations by the database module, so a service cannot forget them.
 */
export class MessagingTables1700000000000 implements MigrationInterface {
  name = 'MessagingTables1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messaging_outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        type text NOT NULL,
        subject text NOT NULL,
        tenant_id text NOT NULL,
        traceparent text,
        data text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz
      )`);
    // The relay only ever reads unsent rows in id order; the partial index stays tiny.
    await queryRunner.query(`CREATE INDEX messaging_outbox_unsent_idx ON messaging_outbox (id) WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE INDEX messaging_outbox_sent_at_idx ON messaging_outbox (sent_at) WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE messaging_inbox (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX messaging_inbox_processed_at_idx ON messaging_inbox (processed_at)`);
    await queryRunner.query(`
      CREATE TABLE messaging_dead_letter (
        id bigserial PRIMARY KEY,
        consumer_group text NOT NULL,
        topic text NOT NULL,
        event_id text NOT NULL,
        envelope jsonb NOT NULL,
        error text NOT NULL,
        error_name text NOT NULL,
        attempts int NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX messaging_dead_letter_group_idx ON messaging_dead_letter (consumer_group, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE messaging_dead_letter`);
    await queryRunner.query(`DROP TABLE messaging_inbox`);
    await queryRunner.query(`DROP TABLE messaging_outbox`);
  }
}
