import type { Principal } from '@crm/platform/auth';
import type { ImportEncoding } from './csv-encoding';
import type { ImportMappingInput } from './import-mapping';

export const DEDUP_MODES = ['skip', 'update', 'merge'] as const;
export type DedupMode = (typeof DEDUP_MODES)[number];

export const IMPORT_STATUSES = ['queued', 'parsing', 'deduplicating', 'applying', 'succeeded', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** Statuses in which a worker still has something to do. */
export const UNFINISHED_STATUSES: readonly ImportStatus[] = ['queued', 'parsing', 'deduplicating', 'applying'];

export const CANDIDATE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

/** A row of `customer_imports`, as the repository reads it. */
export interface ImportJobRow {
  id: string;
  tenant_id: string;
  started_by: string;
  starter_roles: string[];
  starter_team_ids: string[];
  status: ImportStatus;
  dry_run: boolean;
  dedup_mode: DedupMode;
  mark_invalid: boolean;
  unresponsive_days: number;
  owner_id: string | null;
  mapping: ImportMappingInput;
  file_name: string | null;
  file_path: string;
  file_bytes: string;
  encoding: ImportEncoding;
  header: string[];
  bytes_read: string;
  rows_read: number;
  rows_staged: number | null;
  chunk_rows: number | null;
  chunks_total: number | null;
  rows_rejected: number;
  rows_inserted: number;
  rows_updated: number;
  rows_merged: number;
  rows_duplicate: number;
  marked_invalid: number;
  candidates_status: CandidateStatus;
  candidates_checked: number;
  candidates_after_row: number;
  candidate_pairs: number;
  error: string | null;
  cancel_requested_at: Date | null;
  worker: string | null;
  heartbeat_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  parsed_at: Date | null;
  finished_at: Date | null;
}

/** What rows turned into; every row of a file ends up in exactly one of them. */
export interface ImportCounts {
  rejected: number;
  inserted: number;
  updated: number;
  merged: number;
  duplicates: number;
  markedInvalid: number;
}

export const NO_COUNTS: ImportCounts = Object.freeze({ rejected: 0, inserted: 0, updated: 0, merged: 0, duplicates: 0, markedInvalid: 0 });

export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return {
    rejected: a.rejected + b.rejected,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    merged: a.merged + b.merged,
    duplicates: a.duplicates + b.duplicates,
    markedInvalid: a.markedInvalid + b.markedInvalid,
  };
}

/** Who started the job, as their write context needs them (also after a restart). */
export function starterOf(job: ImportJobRow): Principal {
  return { tenantId: job.tenant_id, userId: job.started_by, roles: job.starter_roles as Principal['roles'], teamIds: job.starter_team_ids };
}
