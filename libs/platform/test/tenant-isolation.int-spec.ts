import { NestFactory } from '@nestjs/core';
import { createMigratedDataSource } from '@crm/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { currentContext, DatabaseModule, MissingTenantError, runWithContext, TenantTransactions } from '../src/database';
import { insertNote, Note, NotesRepository, TENANT_A, TENANT_B, TenantTables1700000000100 } from './tenant-fixture';

const NOTE_A = 'a0000000-0000-4000-8000-000000000001';
const NOTE_B = 'b0000000-0000-4000-8000-000000000001';
const titles = (rows: Array<{ title: string }>): string[] => rows.map((row) => row.title).sort();

describe('tenant isolation on a service role (row-level security)', () => {
  let db: Awaited<ReturnType<typeof createMigratedDataSource>>;
  let dataSource: DataSource;
  let tx: TenantTransactions;
  const notes = new NotesRepository();

  beforeAll(async () => {
    db = await createMigratedDataSource('tenant_isolation', { migrations: [TenantTables1700000000100], entities: [Note] });
    dataSource = db.dataSource;
    tx = new TenantTransactions(dataSource);
    await tx.runForTenant(TENANT_A, (manager) => insertNote(manager, TENANT_A, NOTE_A, null, 'note of A'));
    await tx.runForTenant(TENANT_B, (manager) => insertNote(manager, TENANT_B, NOTE_B, null, 'note of B'));
  });

  afterAll(() => db.close());

  it('runs as a role that neither is a superuser nor bypasses RLS', async () => {
    const [role] = await dataSource.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);

    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('shows nothing to a query without a tenant', async () => {
    expect(await dataSource.query(`SELECT * FROM notes`)).toEqual([]);
    expect(await dataSource.transaction((manager) => manager.query(`SELECT * FROM notes`))).toEqual([]);
  });

  it("shows a tenant's transaction only that tenant's rows, even to a query that forgets the filter", async () => {
    expect(titles(await tx.runForTenant(TENANT_A, (manager) => manager.query(`SELECT title FROM notes`)))).toEqual(['note of A']);
    expect(titles(await tx.runForTenant(TENANT_B, (manager) => manager.query(`SELECT title FROM notes WHERE id = $1 OR id = $2`, [NOTE_A, NOTE_B])))).toEqual(['note of B']);
  });

  it("takes the request's tenant, and needs one", async () => {
    const request = { requestId: 'r-1', tenantId: TENANT_B, userId: 'u-1', roles: ['rep'], teamIds: [] };

    expect(titles(await runWithContext(request, () => tx.run((manager) => notes.list(manager))))).toEqual(['note of B']);
    await expect(tx.run(async () => undefined)).rejects.toThrow(MissingTenantError);
  });

  it('lets runAsSystem see every tenant', async () => {
    expect(titles(await tx.runAsSystem((manager) => manager.query(`SELECT title FROM notes`)))).toEqual(['note of A', 'note of B']);
  });

  it('keeps the settings inside their transaction (pooled connections carry nothing over)', async () => {
    await tx.runAsSystem((manager) => manager.query(`SELECT 1`));
    await tx.runForTenant(TENANT_A, (manager) => manager.query(`SELECT 1`));

    const counts = await Promise.all(Array.from({ length: 12 }, () => dataSource.query(`SELECT count(*)::int AS n FROM notes`)));
    expect(counts.map(([row]) => row.n)).toEqual(Array(12).fill(0));
  });

  it("refuses to write a row for another tenant (WITH CHECK), by insert or by moving one", async () => {
    await expect(tx.runForTenant(TENANT_A, (manager) => insertNote(manager, TENANT_B, 'a0000000-0000-4000-8000-000000000002', null, 'smuggled'))).rejects.toThrow(
      /row-level security/,
    );
    await expect(tx.runForTenant(TENANT_A, (manager) => manager.query(`UPDATE notes SET tenant_id = $1 WHERE id = $2`, [TENANT_B, NOTE_A]))).rejects.toThrow(
      /row-level security/,
    );
    // Another tenant's rows are not even there to update.
    const [, updated] = await tx.runForTenant(TENANT_A, (manager) => manager.query(`UPDATE notes SET title = 'hijacked' WHERE id = $1`, [NOTE_B]));
    expect(updated).toBe(0);
  });

  it('gives a tenant-scoped repository the tenant of runForTenant, and refuses to save across tenants', async () => {
    const added = await tx.runForTenant(TENANT_A, (manager) => notes.add(manager, { id: 'a0000000-0000-4000-8000-000000000003', ownerId: null, title: 'another of A' }));
    expect(added.tenantId).toBe(TENANT_A);

    const other = await tx.runAsSystem((manager) => manager.getRepository(Note).findOneByOrFail({ id: NOTE_B }));
    await expect(tx.runForTenant(TENANT_A, (manager) => notes.save(manager, { ...other, title: 'hijacked' }))).rejects.toThrow(/Refusing to save a row of tenant/);
    expect(await tx.runForTenant(TENANT_A, (manager) => notes.byId(manager, NOTE_B))).toBeNull();
    expect(titles(await tx.runForTenant(TENANT_A, (manager) => notes.queryNotes(manager).getMany()))).toEqual(['another of A', 'note of A']);
  });

  it('drops the caller identity when moving to another tenant', async () => {
    const request = { requestId: 'r-2', tenantId: TENANT_A, userId: 'u-1', roles: ['admin'], teamIds: [] };

    const inside = await runWithContext(request, () => tx.runForTenant(TENANT_B, async () => currentContext()));
    expect(inside).toMatchObject({ requestId: 'r-2', tenantId: TENANT_B, roles: [], teamIds: [] });
    expect(inside?.userId).toBeUndefined();
  });

  it('is bypassed by a superuser, which is why services must not connect as one', async () => {
    const admin = new Client({ connectionString: db.database.adminUrl });
    await admin.connect();
    try {
      expect((await admin.query(`SELECT count(*)::int AS n FROM notes`)).rows[0].n).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
  });

  it('is provided by DatabaseModule', async () => {
    const app = await NestFactory.createApplicationContext(DatabaseModule.forRoot({ serviceName: 'tenant_isolation', url: db.database.url, entities: [Note] }), {
      logger: false,
    });
    try {
      const provided = app.get(TenantTransactions);
      expect(titles(await provided.runForTenant(TENANT_B, (manager) => notes.list(manager)))).toEqual(['note of B']);
    } finally {
      await app.close();
    }
  });
});
