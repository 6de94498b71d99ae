import { API_PREFIX } from '@crm/platform/bootstrap';
import type { ImportJobDto } from './dto/import.dto';
import type { ImportJobWithProgress } from './imports.repository';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** What callers see of a job: progress and counts as far as it has got, links to itself and its rejected rows. */
export function toImportJobDto(job: ImportJobWithProgress, now = new Date()): ImportJobDto {
  const finished = FINISHED.has(job.status);
  // Counts are stored on the job when it ends; until then they are what the applied chunks add up to.
  const counts = finished
    ? { rejected: job.rows_rejected, inserted: job.rows_inserted, updated: job.rows_updated, merged: job.rows_merged, duplicates: job.rows_duplicate, markedInvalid: job.marked_invalid }
    : {
        rejected: job.applied_rejected,
        inserted: job.applied_inserted,
        updated: job.applied_updated,
        merged: job.applied_merged,
        duplicates: job.applied_duplicate,
        markedInvalid: job.applied_marked,
      };
  const fileBytes = Number(job.file_bytes);
  const bytesRead = job.rows_staged !== null ? fileBytes : Number(job.bytes_read);
  const seconds = job.started_at ? Math.max(((job.finished_at ?? now).getTime() - job.started_at.getTime()) / 1000, 0.001) : 0;
  const staged = job.rows_staged ?? 0;
  const path = `/${API_PREFIX}/customers/imports/${job.id}`;
  return {
    id: job.id,
    status: job.status,
    dryRun: job.dry_run,
    dedupMode: job.dedup_mode,
    markInvalid: job.mark_invalid,
    unresponsiveDays: job.unresponsive_days,
    ownerId: job.owner_id,
    fileName: job.file_name,
    encoding: job.encoding,
    columns: [...job.header],
    progress: {
      bytesRead,
      fileBytes,
      percentRead: percent(bytesRead, fileBytes),
      rowsRead: job.rows_read,
      rowsPerSecond: seconds > 0 ? Math.round(job.rows_read / seconds) : 0,
      rowsApplied: job.applied_rows,
      percentApplied: job.dry_run ? 0 : job.status === 'succeeded' ? 100 : percent(job.applied_rows, staged),
    },
    counts: { read: job.rows_read, ...counts },
    duplicateCheck: { status: job.candidates_status, customersChecked: job.candidates_checked, pairsFound: job.candidate_pairs },
    startedBy: job.started_by,
    error: job.error,
    createdAt: job.created_at.toISOString(),
    startedAt: job.started_at ? job.started_at.toISOString() : null,
    finishedAt: job.finished_at ? job.finished_at.toISOString() : null,
    links: { self: path, errors: `${path}/errors.csv` },
  };
}

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.round((part / whole) * 1000) / 10) : 0;
}
