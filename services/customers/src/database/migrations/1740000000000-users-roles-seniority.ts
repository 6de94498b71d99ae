import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The users read model keeps roles and seniority as well, as every service's copy of identity's users
 * does (the platform's users read model writes them). Existing rows get them with identity's next
 * snapshot of the user.
 */
export class UsersRolesSeniority1740000000000 implements MigrationInterface {
  name = 'UsersRolesSeniority1740000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN roles text[] NOT NULL DEFAULT '{}', ADD COLUMN seniority text NOT NULL DEFAULT ''`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN roles, DROP COLUMN seniority`);
  }
}
