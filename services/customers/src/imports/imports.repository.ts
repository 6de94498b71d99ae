import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import type { FieldProblem } from '../standardisation';
import { NO_COUNTS, UNFINISHED_STATUSES, type CandidateStatus, type ImportCounts, type ImportJobRow, type ImportStatus } from './import-job';

/** A job whose worker has not reported for this long is taken for dead (crash, kill -9) and resumed. */
export const STALE_JOB_SECONDS = 60;

export interface NewImportJob {
  id: string;
  tenantId: string;
  startedBy: string;
  starterRoles: readonly string[];
  starterTeamIds: readonly string[];
  dryRun: boolean;
  dedupMode: string;
  markInvalid: boolean;
  unresponsiveDays: number;
  ownerId: string | null;
  mapping: unknown;
  fileName: string | null;
  filePath: string;
  fileBytes: number;
  encoding: string;
  header: readonly string[];
}

export interface ChunkRecord extends ImportCounts {
  jobId: string;
  chunkNo: number;
  tenantId: string;
  rowsApplied: number;
}

/** A job with the sums of its applied chunks. */
export interface ImportJobWithProgress extends ImportJobRow {
  applied_rows: number;
  applied_rejected: number;
  applied_inserted: number;
  applied_updated: number;
  applied_merged: number;
  applied_duplicate: number;
  applied_marked: number;
}

export interface ErrorRow {
  row_no: number;
  cells: string[];
  problems: FieldProblem[];
}

/** A job with what its applied chunks add up to (counts while it applies, and its progress). */
const JOB_SELECT = `
  SELECT i.*, a.*
    FROM customer_imports i
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(c.rows_applied), 0)::int AS applied_rows, COALESCE(sum(c.rows_rejected), 0)::int AS applied_rejected,
             COALESCE(sum(c.rows_inserted), 0)::int AS applied_inserted, COALESCE(sum(c.rows_updated), 0)::int AS applied_updated,
             COALESCE(sum(c.rows_merged), 0)::int AS applied_merged, COALESCE(sum(c.rows_duplicate), 0)::int AS applied_duplicate,
             COALESCE(sum(c.marked_invalid), 0)::int AS applied_marked
        FROM customer_import_chunks c WHERE c.job_id = i.id) a`;

/** What TypeORM's `query` answers for an UPDATE: the returned rows and how many rows changed. */
type Updated<T> = [T[], number];

const COUNT_COLUMNS = `rows_rejected = $2, rows_inserted = $3, rows_updated = $4, rows_merged = $5, rows_duplicate = $6, marked_invalid = $7`;

function countParams(counts: ImportCounts): number[] {
  return [counts.rejected, counts.inserted, counts.updated, counts.merged, counts.duplicates, counts.markedInvalid];
}

/**
 * Jobs, their applied chunks and rejected rows, in plain SQL. Every read filters by tenant as well as
 * row-level security; the worker's cross-tenant look for jobs to run is the one system query.
 */
@Injectable()
export class ImportsRepository {
  async insert(manager: EntityManager, job: NewImportJob): Promise<void> {
    await manager.query(
      `INSERT INTO customer_imports (id, tenant_id, started_by, starter_roles, starter_team_ids, dry_run, dedup_mode, mark_invalid, unresponsive_days,
                                     owner_id, mapping, file_name, file_path, file_bytes, encoding, header)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        job.id,
        job.tenantId,
        job.startedBy,
        [...job.starterRoles],
        [...job.starterTeamIds],
        job.dryRun,
        job.dedupMode,
        job.markInvalid,
        job.unresponsiveDays,
        job.ownerId,
        JSON.stringify(job.mapping),
        job.fileName,
        job.filePath,
        job.fileBytes,
        job.encoding,
        [...job.header],
      ],
    );
  }

  async find(manager: EntityManager, tenantId: string, id: string): Promise<ImportJobRow | null> {
    const rows: ImportJobRow[] = await manager.query(`SELECT * FROM customer_imports WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ?? null;
  }

  /** A job as callers see it: with what its applied chunks add up to. */
  async findWithProgress(manager: EntityManager, tenantId: string, id: string): Promise<ImportJobWithProgress | null> {
    const rows: ImportJobWithProgress[] = await manager.query(`${JOB_SELECT} WHERE i.tenant_id = $1 AND i.id = $2`, [tenantId, id]);
    return rows[0] ?? null;
  }

  /** Newest first; `startedBy` narrows to one user's jobs (everyone but admins). */
  async page(manager: EntityManager, tenantId: string, startedBy: string | null, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<ImportJobWithProgress>> {
    const conditions = ['i.tenant_id = $1', '($2::uuid IS NULL OR i.started_by = $2)'];
    const params: unknown[] = [tenantId, startedBy];
    const total = paging.total ? Number((await manager.query(`SELECT count(*) AS count FROM customer_imports i WHERE ${conditions.join(' AND ')}`, params))[0].count) : undefined;
    if (paging.cursor) {
      const after = decodeCursor(paging.cursor);
      params.push(after.at, after.id);
      conditions.push(`(i.created_at, i.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(paging.limit + 1);
    const rows: ImportJobWithProgress[] = await manager.query(`${JOB_SELECT} WHERE ${conditions.join(' AND ')} ORDER BY i.created_at DESC, i.id DESC LIMIT $${params.length}`, params);
    const items = rows.slice(0, paging.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > paging.limit ? encodeCursor({ at: last.created_at, id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /**
   * Takes the oldest job that has work left and nobody running it (never claimed, released by a clean
   * shutdown, or whose worker stopped reporting): across tenants, so only through a system transaction.
   * Imports come before duplicate checks of finished ones.
   */
  async claim(manager: EntityManager, worker: string): Promise<ImportJobRow | null> {
    const [rows] = (await manager.query(
      `UPDATE customer_imports SET worker = $1, heartbeat_at = now(), started_at = COALESCE(started_at, now())
        WHERE id = (SELECT id FROM customer_imports
                     WHERE (status = ANY($2::text[]) OR candidates_status IN ('pending', 'running'))
                       AND (worker IS NULL OR heartbeat_at < now() - make_interval(secs => $3))
                     ORDER BY status = ANY($2::text[]) DESC, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [worker, UNFINISHED_STATUSES, STALE_JOB_SECONDS],
    )) as Updated<ImportJobRow>;
    return rows[0] ?? null;
  }

  /**
   * The worker is alive (and how far it has read); answers whether the job is still this worker's and
   * whether someone asked to cancel it.
   */
  async heartbeat(manager: EntityManager, id: string, worker: string, progress?: { rowsRead: number; bytesRead: number }): Promise<{ owned: boolean; cancelRequested: boolean }> {
    const [rows] = (await manager.query(
      `UPDATE customer_imports SET heartbeat_at = now(), rows_read = COALESCE($3, rows_read), bytes_read = COALESCE($4, bytes_read)
        WHERE id = $1 AND worker = $2 RETURNING cancel_requested_at`,
      [id, worker, progress?.rowsRead ?? null, progress?.bytesRead ?? null],
    )) as Updated<{ cancel_requested_at: Date | null }>;
    return { owned: rows.length > 0, cancelRequested: rows[0]?.cancel_requested_at != null };
  }

  /** A clean shutdown hands the job back, so the next worker resumes it without waiting for it to look stale. */
  async release(manager: EntityManager, id: string, worker: string): Promise<void> {
    await manager.query(`UPDATE customer_imports SET worker = NULL, heartbeat_at = NULL WHERE id = $1 AND worker = $2`, [id, worker]);
  }

  async setStatus(manager: EntityManager, id: string, status: ImportStatus): Promise<void> {
    await manager.query(`UPDATE customer_imports SET status = $2 WHERE id = $1`, [id, status]);
  }

  /** Reading starts (again) from the first row. */
  async restartParsing(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE customer_imports SET status = 'parsing', rows_read = 0, bytes_read = 0, rows_staged = NULL WHERE id = $1`, [id]);
  }

  async parsed(manager: EntityManager, id: string, rows: { read: number; bytes: number }): Promise<void> {
    await manager.query(`UPDATE customer_imports SET status = 'deduplicating', rows_read = $2, rows_staged = $2, bytes_read = $3, parsed_at = now() WHERE id = $1`, [
      id,
      rows.read,
      rows.bytes,
    ]);
  }

  async deduplicated(manager: EntityManager, id: string, chunks: { rows: number; total: number }): Promise<void> {
    await manager.query(`UPDATE customer_imports SET status = 'applying', chunk_rows = $2, chunks_total = $3 WHERE id = $1`, [id, chunks.rows, chunks.total]);
  }

  /** The end of a job: its status, final counts and error; candidate detection runs only after an applied import. */
  async finish(manager: EntityManager, id: string, outcome: { status: ImportStatus; counts: ImportCounts; error?: string; candidates: CandidateStatus }): Promise<ImportJobRow> {
    const [rows] = (await manager.query(
      `UPDATE customer_imports SET status = $8, ${COUNT_COLUMNS}, error = $9, candidates_status = $10, finished_at = now() WHERE id = $1 RETURNING *`,
      [id, ...countParams(outcome.counts), outcome.status, outcome.error ?? null, outcome.candidates],
    )) as Updated<ImportJobRow>;
    return rows[0];
  }

  /** Asks the worker to stop a job that has not finished (it stops between batches); returns whether the job was unfinished. */
  async requestCancel(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE customer_imports SET cancel_requested_at = COALESCE(cancel_requested_at, now()) WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[])`,
      [tenantId, id, UNFINISHED_STATUSES],
    )) as Updated<never>;
    return count > 0;
  }

  // --- Chunks

  async appliedChunks(manager: EntityManager, jobId: string): Promise<Set<number>> {
    const rows: Array<{ chunk_no: number }> = await manager.query(`SELECT chunk_no FROM customer_import_chunks WHERE job_id = $1`, [jobId]);
    return new Set(rows.map((row) => row.chunk_no));
  }

  async recordChunk(manager: EntityManager, chunk: ChunkRecord): Promise<void> {
    await manager.query(
      `INSERT INTO customer_import_chunks (job_id, chunk_no, tenant_id, rows_applied, rows_rejected, rows_inserted, rows_updated, rows_merged, rows_duplicate, marked_invalid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [chunk.jobId, chunk.chunkNo, chunk.tenantId, chunk.rowsApplied, ...countParams(chunk)],
    );
  }

  /** What the applied chunks add up to. */
  async chunkTotals(manager: EntityManager, jobId: string): Promise<{ rowsApplied: number; counts: ImportCounts }> {
    const [row] = await manager.query(
      `SELECT COALESCE(sum(rows_applied), 0)::int AS applied, COALESCE(sum(rows_rejected), 0)::int AS rejected, COALESCE(sum(rows_inserted), 0)::int AS inserted,
              COALESCE(sum(rows_updated), 0)::int AS updated, COALESCE(sum(rows_merged), 0)::int AS merged, COALESCE(sum(rows_duplicate), 0)::int AS duplicates,
              COALESCE(sum(marked_invalid), 0)::int AS marked
         FROM customer_import_chunks WHERE job_id = $1`,
      [jobId],
    );
    if (!row) return { rowsApplied: 0, counts: NO_COUNTS };
    return {
      rowsApplied: row.applied,
      counts: { rejected: row.rejected, inserted: row.inserted, updated: row.updated, merged: row.merged, duplicates: row.duplicates, markedInvalid: row.marked },
    };
  }

  // --- Rejected rows

  /** One page of rejected rows in row order, for streaming errors.csv. */
  errors(manager: EntityManager, tenantId: string, jobId: string, afterRow: number, limit: number): Promise<ErrorRow[]> {
    return manager.query(
      `SELECT row_no, cells, problems FROM customer_import_errors WHERE tenant_id = $1 AND job_id = $2 AND row_no > $3 ORDER BY row_no LIMIT $4`,
      [tenantId, jobId, afterRow, limit],
    );
  }

  // --- Duplicate candidates of the imported customers

  async candidatesProgress(manager: EntityManager, id: string, progress: { status: CandidateStatus; checked: number; pairs: number; afterRow: number }): Promise<void> {
    await manager.query(
      `UPDATE customer_imports SET candidates_status = $2, candidates_checked = candidates_checked + $3, candidate_pairs = candidate_pairs + $4, candidates_after_row = $5
        WHERE id = $1`,
      [id, progress.status, progress.checked, progress.pairs, progress.afterRow],
    );
  }

  async candidatesFinished(manager: EntityManager, id: string, status: CandidateStatus): Promise<void> {
    await manager.query(`UPDATE customer_imports SET candidates_status = $2, worker = NULL, heartbeat_at = NULL WHERE id = $1`, [id, status]);
  }
}
