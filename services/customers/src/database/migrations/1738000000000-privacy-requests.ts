import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTenantIsolationSql, tenantIsolationSql } from '@crm/platform/database';

const TABLES = ['privacy_requests', 'privacy_request_services', 'customer_privacy_settings'];

/**
 * Privacy requests (PIPL/GDPR export and erasure), their per-service completion, and what each tenant
 * chooses not to collect.
 *
 * A request is an audit record: who asked (`created_by`, a user), when, why (`reason`, a closed list,
 * so it never holds personal data) and what happened per service. The only personal data it may hold is
 * `requested_by`, how the data subject asked (an e-mail, a phone number), which an erasure clears: after
 * it nothing personal is left but the customer id.
 *
 * `customers.erased_at`: the row of an erased customer stays (orders and tickets elsewhere keep their
 * reference) with its personal data gone; it is never written again.
 */
export class PrivacyRequests1738000000000 implements MigrationInterface {
  name = 'PrivacyRequests1738000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customers ADD COLUMN erased_at timestamptz(3)`);

    await queryRunner.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers (id),
        type text NOT NULL CHECK (type IN ('export', 'erasure')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
        reason text NOT NULL,
        requested_by text,
        created_by uuid NOT NULL,
        created_at timestamptz(3) NOT NULL,
        completed_at timestamptz(3),
        delivered_at timestamptz(3),
        archive_complete boolean,
        CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CHECK (type = 'export' OR (delivered_at IS NULL AND archive_complete IS NULL))
      )`);
    // The list, newest first, alone or after one equality filter (status also answers "overdue": pending and old).
    await queryRunner.query(`CREATE INDEX privacy_requests_tenant_created_idx ON privacy_requests (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX privacy_requests_tenant_status_created_idx ON privacy_requests (tenant_id, status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX privacy_requests_tenant_type_created_idx ON privacy_requests (tenant_id, type, created_at DESC, id DESC)`);
    // A customer's requests: ?customerId= and the erasure of their contacts.
    await queryRunner.query(`CREATE INDEX privacy_requests_tenant_customer_created_idx ON privacy_requests (tenant_id, customer_id, created_at DESC, id DESC)`);

    // One row per service expected to take part; an answer of a service nobody expected is recorded too.
    await queryRunner.query(`
      CREATE TABLE privacy_request_services (
        request_id uuid NOT NULL REFERENCES privacy_requests (id),
        tenant_id uuid NOT NULL,
        service text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
        records_affected bigint,
        detail text,
        completed_at timestamptz(3),
        PRIMARY KEY (request_id, service)
      )`);

    await queryRunner.query(`
      CREATE TABLE customer_privacy_settings (
        tenant_id uuid PRIMARY KEY,
        collect_national_id boolean NOT NULL DEFAULT true,
        collect_bank_account boolean NOT NULL DEFAULT true,
        collect_wechat_ids boolean NOT NULL DEFAULT true,
        collect_addresses boolean NOT NULL DEFAULT true,
        not_collected_custom_fields text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        updated_by uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    for (const table of TABLES) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      for (const statement of dropTenantIsolationSql(table)) await queryRunner.query(statement);
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`ALTER TABLE customers DROP COLUMN IF EXISTS erased_at`);
  }
}
