import { Column, Entity, PrimaryColumn, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tenantIsolationSql, TenantScopedRepository } from '../src/database';

export const TENANT_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const TENANT_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

/** A tenant-owned, owner-owned record, as most CRM tables are. */
@Entity('notes')
export class Note {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column('text')
  title!: string;
}

/** Notes and team memberships, both isolated by tenant the way every service migration does it. */
export class TenantTables1700000000100 implements MigrationInterface {
  name = 'TenantTables1700000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, owner_id uuid, title text NOT NULL)`);
    await queryRunner.query(`CREATE TABLE team_members (tenant_id uuid NOT NULL, team_id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (team_id, user_id))`);
    for (const table of ['notes', 'team_members']) {
      for (const statement of tenantIsolationSql(table)) await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE team_members`);
    await queryRunner.query(`DROP TABLE notes`);
  }
}

/** The repository a service would write: tenant filter built in, the transaction passed in. */
export class NotesRepository extends TenantScopedRepository<Note> {
  constructor() {
    super(Note);
  }

  list(manager: EntityManager): Promise<Note[]> {
    return this.findScoped(manager, { order: { title: 'ASC' } });
  }

  byId(manager: EntityManager, id: string): Promise<Note | null> {
    return this.findOneScoped(manager, { id });
  }

  add(manager: EntityManager, values: { id: string; ownerId: string | null; title: string }): Promise<Note> {
    return this.saveScoped(manager, this.createScoped(manager, values));
  }

  save(manager: EntityManager, note: Note): Promise<Note> {
    return this.saveScoped(manager, note);
  }

  queryNotes(manager: EntityManager) {
    return this.query(manager, 'n').orderBy('n.title', 'ASC');
  }
}

export async function insertNote(manager: EntityManager, tenantId: string, id: string, ownerId: string | null, title: string): Promise<void> {
  await manager.query(`INSERT INTO notes (id, tenant_id, owner_id, title) VALUES ($1, $2, $3, $4)`, [id, tenantId, ownerId, title]);
}
