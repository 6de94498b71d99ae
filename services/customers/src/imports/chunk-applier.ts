import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { unknownConsent } from '../customers/customer-fields';
import type { WriteContext } from '../customers/customer-writer';
import { CREATED_EVENTS_SQL, CREATED_TIMELINE_SQL, NOTIFY_OUTBOX_SQL } from './import-events';
import type { ImportCounts, ImportJobRow } from './import-job';
import { GroupApplier, type GroupOutcome } from './group-applier';
import { ImportsRepository } from './imports.repository';
import { unresponsiveCutoff } from './invalid-leads';

/** Range of row numbers of chunk `chunkNo`: (from, to]. */
export function chunkRange(chunkNo: number, chunkRows: number): { from: number; to: number } {
  return { from: chunkNo * chunkRows, to: (chunkNo + 1) * chunkRows };
}

/** The customers of a chunk's rows that are created as they are ($1 job, $2 tenant, $3..$4 range, $5 owner, $6 now, $7 starter, $8 consent). */
const INSERT_CUSTOMERS_SQL = `
  INSERT INTO customers (id, tenant_id, type, name, name_en, phones, emails, wechat_ids, addresses, industry, region, source, owner_id,
                         lifecycle_stage, value_tier, key_account, tags, consent, custom_fields, external_id, created_by, version, created_at, updated_at)
  SELECT r.customer_id, $2, COALESCE(r.type, 'person'), r.name, r.name_en, r.phones, r.emails, r.wechat_ids, COALESCE(r.addresses, '[]'),
         r.industry, r.region, r.source, $5, COALESCE(r.lifecycle_stage, 'prospect'), r.value_tier, COALESCE(r.key_account, false),
         COALESCE(r.marked_tags, r.tags), $8::jsonb, COALESCE(r.custom_fields, '{}'), r.external_id, $7, 1, $6, $6
    FROM customer_import_rows r
   WHERE r.job_id = $1 AND r.row_no > $3 AND r.row_no <= $4 AND r.outcome IS NULL
   ORDER BY r.row_no`;

/** Their search-index rows, from the values computed when the rows were read ($1 job, $2 tenant, $3..$4 range). */
const INSERT_SEARCH_SQL = `
  INSERT INTO customer_search (customer_id, tenant_id, name_search, name_bigrams, phone_search, email_search, phones, emails, wechat_ids, tags)
  SELECT r.customer_id, $2, r.name_search, r.name_bigrams, r.phone_search, r.email_search, r.phones, r.emails, r.wechat_ids, r.search_tags
    FROM customer_import_rows r
   WHERE r.job_id = $1 AND r.row_no > $3 AND r.row_no <= $4 AND r.outcome IS NULL
   ORDER BY r.row_no`;

/**
 * What the chunk's rows came to, each row counted once: rows of a group folded by the write path in the
 * chunk of their group's first row (whose work it is), every other row in its own chunk.
 */
const COUNT_SQL = `
  SELECT count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
         count(*) FILTER (WHERE outcome IS NULL OR outcome = 'inserted')::int AS inserted,
         count(*) FILTER (WHERE outcome = 'updated')::int AS updated,
         count(*) FILTER (WHERE outcome = 'merged')::int AS merged,
         count(*) FILTER (WHERE outcome = 'duplicate')::int AS duplicates,
         count(*) FILTER (WHERE outcome IS NULL AND marked_tags IS NOT NULL)::int AS marked
    FROM customer_import_rows r
   WHERE r.job_id = $1
     AND ((r.row_no > $2 AND r.row_no <= $3 AND r.leader_row_no IS NULL)
          OR r.leader_row_no IN (SELECT row_no FROM customer_import_rows WHERE job_id = $1 AND row_no > $2 AND row_no <= $3 AND leader_row_no = row_no))`;

/**
 * Applies one chunk of a job in one transaction: the rows that create a customer as they are with
 * set-based statements (customers, customer_search, CustomerCreated in the outbox and its timeline
 * entry, as CustomerEvents would write them), the groups that
 * need the write path through GroupApplier, and the chunk's record with its counts, so the chunk is
 * applied entirely or not at all and a restart knows which chunks are left.
 */
@Injectable()
export class ChunkApplier {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly groups: GroupApplier,
    private readonly imports: ImportsRepository,
  ) {}

  async apply(job: ImportJobRow, chunkNo: number, chunkRows: number, context: WriteContext): Promise<GroupOutcome> {
    const { from, to } = chunkRange(chunkNo, chunkRows);
    return this.transactions.runForTenant(job.tenant_id, async (manager) => {
      const now = new Date();
      const chunkContext = { ...context, now };
      const base = [job.id, job.tenant_id, from, to];
      await manager.query(INSERT_CUSTOMERS_SQL, [...base, job.owner_id, now, job.started_by, JSON.stringify(unknownConsent())]);
      await manager.query(INSERT_SEARCH_SQL, base);
      await manager.query(CREATED_EVENTS_SQL, [...base, job.owner_id, now]);
      await manager.query(CREATED_TIMELINE_SQL, [...base, job.owner_id, now, job.started_by]);
      await manager.query(NOTIFY_OUTBOX_SQL);

      const groups = await this.groups.apply(
        manager,
        {
          id: job.id,
          mode: job.dedup_mode,
          ownerId: job.owner_id,
          startedBy: job.started_by,
          unresponsiveCutoff: job.mark_invalid ? unresponsiveCutoff(now, job.unresponsive_days) : null,
        },
        { from, to },
        chunkContext,
      );
      if (groups.rejected.length > 0) await rejectRows(manager, job, groups.rejected);

      const [counted] = await manager.query(COUNT_SQL, [job.id, from, to]);
      const counts: ImportCounts = {
        rejected: counted.rejected,
        inserted: counted.inserted,
        updated: counted.updated,
        merged: counted.merged,
        duplicates: counted.duplicates,
        markedInvalid: counted.marked + groups.markedInvalid,
      };
      const [{ rows }] = await manager.query(`SELECT count(*)::int AS rows FROM customer_import_rows WHERE job_id = $1 AND row_no > $2 AND row_no <= $3`, [job.id, from, to]);
      await this.imports.recordChunk(manager, { jobId: job.id, chunkNo, tenantId: job.tenant_id, rowsApplied: rows, ...counts });
      return groups;
    });
  }
}

/** Rows the write path refused at apply time: rejected, and listed in errors.csv. */
async function rejectRows(manager: EntityManager, job: ImportJobRow, rows: ReadonlyArray<{ rowNo: number; problems: unknown }>): Promise<void> {
  const payload = JSON.stringify(rows.map((row) => ({ row_no: row.rowNo, problems: row.problems })));
  await manager.query(
    `UPDATE customer_import_rows r SET outcome = 'rejected', problems = p.problems
       FROM jsonb_to_recordset($2::jsonb) AS p(row_no int, problems jsonb)
      WHERE r.job_id = $1 AND r.row_no = p.row_no`,
    [job.id, payload],
  );
  await manager.query(
    `INSERT INTO customer_import_errors (job_id, row_no, tenant_id, cells, problems)
     SELECT r.job_id, r.row_no, $3, COALESCE(r.cells, '{}'), r.problems FROM customer_import_rows r
      WHERE r.job_id = $1 AND r.row_no = ANY($2::int[])
     ON CONFLICT (job_id, row_no) DO UPDATE SET problems = EXCLUDED.problems`,
    [job.id, rows.map((row) => row.rowNo), job.tenant_id],
  );
}
