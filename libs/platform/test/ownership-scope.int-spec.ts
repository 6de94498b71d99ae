import { createMigratedDataSource } from '@crm/testing';
import { applyOwnershipScope, ownershipScope, type OwnershipScope } from '../src/auth';
import { runWithContext, TenantTransactions, type RequestContext } from '../src/database';
import { insertNote, Note, NotesRepository, TENANT_A, TENANT_B, TenantTables1700000000100 } from './tenant-fixture';

const MANAGER = '00000000-0000-4000-8000-00000000000a';
const REP_NORTH = '00000000-0000-4000-8000-00000000000b';
const REP_SOUTH = '00000000-0000-4000-8000-00000000000c';
const NORTH = '10000000-0000-4000-8000-000000000001';
const SOUTH = '10000000-0000-4000-8000-000000000002';
const teamMembersSql = (teamIds: string): string => `SELECT tm.user_id FROM team_members tm WHERE tm.team_id = ANY(${teamIds})`;

function caller(userId: string, roles: string[], teamIds: string[] = []): RequestContext {
  return { requestId: `r-${userId}`, tenantId: TENANT_A, userId, roles, teamIds };
}

describe('ownership scope on a real table', () => {
  let db: Awaited<ReturnType<typeof createMigratedDataSource>>;
  let tx: TenantTransactions;
  const notes = new NotesRepository();

  beforeAll(async () => {
    db = await createMigratedDataSource('ownership_scope', { migrations: [TenantTables1700000000100], entities: [Note] });
    tx = new TenantTransactions(db.dataSource);
    await tx.runForTenant(TENANT_A, async (manager) => {
      for (const [team, user] of [
        [NORTH, MANAGER],
        [NORTH, REP_NORTH],
        [SOUTH, REP_SOUTH],
      ]) {
        await manager.query(`INSERT INTO team_members (tenant_id, team_id, user_id) VALUES ($1, $2, $3)`, [TENANT_A, team, user]);
      }
      await insertNote(manager, TENANT_A, '20000000-0000-4000-8000-000000000001', MANAGER, "manager's");
      await insertNote(manager, TENANT_A, '20000000-0000-4000-8000-000000000002', REP_NORTH, "north rep's");
      await insertNote(manager, TENANT_A, '20000000-0000-4000-8000-000000000003', REP_SOUTH, "south rep's");
      await insertNote(manager, TENANT_A, '20000000-0000-4000-8000-000000000004', null, 'unassigned');
    });
    // The same user ids in another tenant: the tenant filter keeps these out of every scope.
    await tx.runForTenant(TENANT_B, (manager) => insertNote(manager, TENANT_B, '20000000-0000-4000-8000-000000000005', REP_NORTH, 'other tenant'));
  });

  afterAll(() => db.close());

  function visibleTo(context: RequestContext, scope?: OwnershipScope): Promise<string[]> {
    return runWithContext(context, () =>
      tx.run(async (manager) => {
        const qb = applyOwnershipScope(notes.queryNotes(manager), { ownerColumn: 'n.owner_id', teamMembersSql, scope });
        return (await qb.getMany()).map((note) => note.title);
      }),
    );
  }

  it('shows a rep their own records', async () => {
    expect(await visibleTo(caller(REP_NORTH, ['rep'], [NORTH]))).toEqual(["north rep's"]);
    expect(await visibleTo(caller(REP_SOUTH, ['agent'], [SOUTH]))).toEqual(["south rep's"]);
  });

  it("shows a manager what their team's members own", async () => {
    expect(await visibleTo(caller(MANAGER, ['manager'], [NORTH]))).toEqual(["manager's", "north rep's"]);
    expect(await visibleTo(caller(MANAGER, ['manager'], [NORTH, SOUTH]))).toEqual(["manager's", "north rep's", "south rep's"]);
  });

  it('shows a manager without teams only their own', async () => {
    expect(await visibleTo(caller(MANAGER, ['manager'], []))).toEqual(["manager's"]);
  });

  it('shows an admin the whole tenant, and nothing of another', async () => {
    expect(await visibleTo(caller(MANAGER, ['admin']))).toEqual(["manager's", "north rep's", "south rep's", 'unassigned']);
  });

  it('takes an explicit scope, and defaults the owner column to <alias>.ownerId', async () => {
    const context = caller(REP_SOUTH, ['rep']);
    const scope = ownershipScope(caller(REP_NORTH, ['rep']));

    expect(await visibleTo(context, scope)).toEqual(["north rep's"]);
    const byProperty = await runWithContext(context, () =>
      tx.run(async (manager) => (await applyOwnershipScope(notes.queryNotes(manager), { teamMembersSql }).getMany()).map((note) => note.title)),
    );
    expect(byProperty).toEqual(["south rep's"]);
  });
});
