import type { EntityManager } from 'typeorm';
import type { OwnershipScope } from '@crm/platform/auth';
import { teamMembersSql } from '../users/users.repository';
import type { DedupMode } from './import-job';
import { IMPORT_PROBLEMS } from './import.errors';

/** Above this many keys, existing contacts are matched by one hash join rather than one index probe per key. */
const PROBE_LIMIT = 20_000;
const OUTSIDE_SCOPE = { field: 'target', code: IMPORT_PROBLEMS.outsideScope, message: 'The row matches a customer outside your scope, which an import may not change' };
/** Components are found by propagating the lowest row number; real files settle within a few rounds. */
const MAX_ROUNDS = 100;

export interface DedupResult {
  /** Rows staged for the job (the highest row number). */
  lastRowNo: number;
  outcomes: Record<'plain' | 'inserted' | 'updated' | 'merged' | 'duplicate' | 'rejected', number>;
  /** Rows staged with an invalid-lead mark that create a customer as they are. */
  markedPlain: number;
}

/**
 * Decides what each staged row of a job does, with set-based statements in one transaction:
 *
 * 1. Keys: each row's E.164 phones, e-mails and externalId.
 * 2. Existing customers sharing a key (customer_search's exact contacts, customers' external ids).
 * 3. Groups: rows connected by a shared key or a shared existing customer are one customer
 *    (13800138000, +86 138-0013-8000 and 8613800138000 are one E.164 key). Connected components are
 *    found by propagating the lowest row number over the links shared by two or more rows; rows with
 *    no shared link, the great majority, never enter that part.
 * 4. Outcomes. A group matching existing customers goes to one of them (the one the group's first row
 *    matched, its externalId before a phone before an e-mail): skipped (skip), written over (update) or
 *    merged (merge), each row counted so. Update and merge touch only customers in the starter's scope;
 *    other rows are rejected. A group matching nobody becomes one new customer, from its first valid
 *    row; the others are duplicates (skip), or fold into it (update, merge) at apply time.
 *
 * Rows left with no outcome are created as they are by a plain INSERT ... SELECT; a group's work that
 * needs CustomerWriter (update, merge, folding rows) is marked on its leader row (`leader_row_no`).
 * Rejected rows are copied to `customer_import_errors`.
 */
export async function deduplicate(manager: EntityManager, job: { id: string; tenantId: string; mode: DedupMode; scope: OwnershipScope }): Promise<DedupResult> {
  const params = [job.id];
  const q = (sql: string, extra: unknown[] = []) => manager.query(sql, [...params, ...extra]);

  await q(
    `CREATE TEMP TABLE import_keys ON COMMIT DROP AS
       SELECT r.row_no, 'p'::text AS kind, p.value FROM customer_import_rows r CROSS JOIN LATERAL unnest(r.phones) AS p(value) WHERE r.job_id = $1 AND r.outcome IS NULL
       UNION ALL
       SELECT r.row_no, 'e', e.value FROM customer_import_rows r CROSS JOIN LATERAL unnest(r.emails) AS e(value) WHERE r.job_id = $1 AND r.outcome IS NULL
       UNION ALL
       SELECT r.row_no, 'x', r.external_id FROM customer_import_rows r WHERE r.job_id = $1 AND r.outcome IS NULL AND r.external_id IS NOT NULL`,
  );
  await manager.query(`ANALYZE import_keys`);
  const [{ keys }] = await manager.query(`SELECT count(*)::int AS keys FROM import_keys`);

  // Existing live customers sharing a key; rank orders the kinds of match (externalId, phone, e-mail).
  const contactMatches =
    keys <= PROBE_LIMIT
      ? `SELECT k.row_no, s.customer_id, 1 AS rank FROM import_keys k JOIN customer_search s ON s.tenant_id = $1 AND s.phones @> ARRAY[k.value] WHERE k.kind = 'p'
         UNION ALL
         SELECT k.row_no, s.customer_id, 2 FROM import_keys k JOIN customer_search s ON s.tenant_id = $1 AND s.emails @> ARRAY[k.value] WHERE k.kind = 'e'`
      : `SELECT k.row_no, c.customer_id, CASE k.kind WHEN 'p' THEN 1 ELSE 2 END AS rank
           FROM import_keys k
           JOIN (SELECT s.customer_id, 'p' AS kind, unnest(s.phones) AS value FROM customer_search s WHERE s.tenant_id = $1
                 UNION ALL
                 SELECT s.customer_id, 'e', unnest(s.emails) FROM customer_search s WHERE s.tenant_id = $1) c ON c.kind = k.kind AND c.value = k.value`;
  await manager.query(
    `CREATE TEMP TABLE import_matches ON COMMIT DROP AS
       SELECT m.row_no, m.customer_id, min(m.rank) AS rank
         FROM (${contactMatches}
               UNION ALL
               SELECT k.row_no, c.id, 0 FROM import_keys k JOIN customers c ON c.tenant_id = $1 AND c.external_id = k.value AND c.deleted_at IS NULL WHERE k.kind = 'x') m
         JOIN customers c ON c.id = m.customer_id AND c.tenant_id = $1 AND c.deleted_at IS NULL AND c.erased_at IS NULL
        GROUP BY m.row_no, m.customer_id`,
    [job.tenantId],
  );

  // Links shared by two or more rows: the edges of the groups.
  await manager.query(
    `CREATE TEMP TABLE import_edges ON COMMIT DROP AS
       WITH links AS (SELECT row_no, kind || ':' || value AS link FROM import_keys
                      UNION ALL
                      SELECT row_no, 'c:' || customer_id FROM import_matches),
            shared AS (SELECT link FROM links GROUP BY link HAVING count(*) > 1)
       SELECT l.row_no, l.link FROM links l JOIN shared USING (link)`,
  );
  await manager.query(`CREATE TEMP TABLE import_labels ON COMMIT DROP AS SELECT DISTINCT row_no, row_no AS label FROM import_edges`);
  await manager.query(`ANALYZE import_edges, import_labels`);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [, changed] = (await manager.query(
      `WITH link_min AS (SELECT e.link, min(l.label) AS label FROM import_edges e JOIN import_labels l USING (row_no) GROUP BY e.link),
            row_min AS (SELECT e.row_no, min(m.label) AS label FROM import_edges e JOIN link_min m USING (link) GROUP BY e.row_no)
       UPDATE import_labels l SET label = r.label FROM row_min r WHERE l.row_no = r.row_no AND r.label < l.label`,
    )) as [unknown, number];
    if (changed === 0) break;
  }

  // Every row in a group or matching an existing customer, with its group and what the group matched.
  await q(
    `CREATE TEMP TABLE import_members ON COMMIT DROP AS
       WITH members AS (SELECT row_no, label AS group_id FROM import_labels
                        UNION
                        SELECT row_no, row_no FROM import_matches WHERE row_no NOT IN (SELECT row_no FROM import_labels)),
            targets AS (SELECT g.group_id, (array_agg(m.customer_id ORDER BY m.row_no, m.rank, m.customer_id))[1] AS target_id
                          FROM members g JOIN import_matches m USING (row_no) GROUP BY g.group_id)
       SELECT g.row_no, g.group_id, t.target_id, r.customer_id, r.needs_existing
         FROM members g
         JOIN customer_import_rows r ON r.job_id = $1 AND r.row_no = g.row_no
         LEFT JOIN targets t USING (group_id)`,
  );
  await manager.query(`ANALYZE import_members`);

  const scope = scopeCondition(job.scope);
  const followingOutcome = job.mode === 'skip' ? 'duplicate' : job.mode === 'update' ? 'updated' : 'merged';
  const folds = job.mode !== 'skip';
  // Groups matching an existing customer.
  await q(
    `WITH groups AS (SELECT m.group_id, m.target_id, min(m.row_no) AS leader, bool_or(${scope}) AS in_scope
                       FROM import_members m JOIN customers c ON c.id = m.target_id
                      WHERE m.target_id IS NOT NULL GROUP BY m.group_id, m.target_id)
     UPDATE customer_import_rows r
        SET outcome = CASE WHEN $2 AND NOT g.in_scope THEN 'rejected' ELSE $3 END,
            problems = CASE WHEN $2 AND NOT g.in_scope THEN $4::jsonb ELSE r.problems END,
            target_id = g.target_id,
            leader_row_no = CASE WHEN $2 AND g.in_scope THEN g.leader END
       FROM import_members m JOIN groups g USING (group_id)
      WHERE r.job_id = $1 AND r.row_no = m.row_no`,
    [folds, followingOutcome, JSON.stringify([OUTSIDE_SCOPE]), ...scopeParams(job.scope)],
  );
  // Groups matching nobody: the first valid row creates the customer; rows that only an update could take are rejected.
  await q(
    `WITH groups AS (SELECT group_id, min(row_no) FILTER (WHERE NOT needs_existing) AS leader, count(*) FILTER (WHERE NOT needs_existing) AS valid
                       FROM import_members WHERE target_id IS NULL GROUP BY group_id),
          leaders AS (SELECT g.group_id, g.leader, g.valid, m.customer_id FROM groups g JOIN import_members m ON m.row_no = g.leader)
     UPDATE customer_import_rows r
        SET outcome = CASE WHEN m.needs_existing THEN 'rejected'
                           WHEN m.row_no = l.leader THEN CASE WHEN $2 AND l.valid > 1 THEN 'inserted' END
                           ELSE $3 END,
            target_id = CASE WHEN NOT m.needs_existing THEN l.customer_id END,
            leader_row_no = CASE WHEN $2 AND l.valid > 1 AND NOT m.needs_existing THEN l.leader END
       FROM import_members m LEFT JOIN leaders l USING (group_id)
      WHERE m.target_id IS NULL AND r.job_id = $1 AND r.row_no = m.row_no`,
    [folds, followingOutcome],
  );
  // Rows alone that a create would refuse.
  await q(`UPDATE customer_import_rows SET outcome = 'rejected' WHERE job_id = $1 AND outcome IS NULL AND needs_existing`);

  await manager.query(
    `INSERT INTO customer_import_errors (job_id, row_no, tenant_id, cells, problems)
     SELECT job_id, row_no, $2, COALESCE(cells, '{}'), COALESCE(problems, '[]') FROM customer_import_rows WHERE job_id = $1 AND outcome = 'rejected'
     ON CONFLICT (job_id, row_no) DO NOTHING`,
    [job.id, job.tenantId],
  );

  const [summary] = await q(
    `SELECT COALESCE(max(row_no), 0)::int AS last_row_no,
            count(*) FILTER (WHERE outcome IS NULL)::int AS plain,
            count(*) FILTER (WHERE outcome = 'inserted')::int AS inserted,
            count(*) FILTER (WHERE outcome = 'updated')::int AS updated,
            count(*) FILTER (WHERE outcome = 'merged')::int AS merged,
            count(*) FILTER (WHERE outcome = 'duplicate')::int AS duplicate,
            count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
            count(*) FILTER (WHERE outcome IS NULL AND marked_tags IS NOT NULL)::int AS marked_plain
       FROM customer_import_rows WHERE job_id = $1`,
  );
  return {
    lastRowNo: summary.last_row_no,
    outcomes: { plain: summary.plain, inserted: summary.inserted, updated: summary.updated, merged: summary.merged, duplicate: summary.duplicate, rejected: summary.rejected },
    markedPlain: summary.marked_plain,
  };
}

/** The ownership scope on the matched customer `c` (the same rule as applyOwnershipScope); its parameters are $5 and $6. */
function scopeCondition(scope: OwnershipScope): string {
  switch (scope.kind) {
    case 'tenant':
      return 'true';
    case 'own':
      return 'c.owner_id = $5::uuid';
    case 'team':
      return `(c.owner_id = $5::uuid OR c.owner_id IN (${teamMembersSql('$6::uuid[]')}))`;
  }
}

function scopeParams(scope: OwnershipScope): unknown[] {
  switch (scope.kind) {
    case 'tenant':
      return [];
    case 'own':
      return [scope.userId];
    case 'team':
      return [scope.userId, [...scope.teamIds]];
  }
}
