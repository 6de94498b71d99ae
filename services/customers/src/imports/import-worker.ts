import { randomUUID } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { create } from '@bufbuild/protobuf';
import { CustomersImportedEvent, CustomersImportedSchema } from '@crm/contracts';
import { ownershipScope } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { EventBus } from '@crm/platform/messaging';
import { CustomersEnv } from '../config/customers.env';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { CustomerWriter, type WriteContext } from '../customers/customer-writer';
import { DuplicateDetector } from '../duplicates/duplicate-detector';
import { ChunkApplier } from './chunk-applier';
import { readRecords, type CsvRecord } from './csv-records';
import { CANDIDATE_BATCH_SIZE, IMPORTED_CANDIDATES_SQL, MATCHES_PER_RULE, NEXT_IMPORTED_SQL } from './import-candidates';
import { deduplicate } from './import-dedup';
import { starterOf, UNFINISHED_STATUSES, type ImportCounts, type ImportJobRow, type ImportStatus } from './import-job';
import { compileMapping } from './import-mapping';
import { StagingCopy, stagingLine } from './import-staging';
import { ImportsRepository } from './imports.repository';
import { unresponsiveCutoff } from './invalid-leads';
import { RowStager } from './row-stager';

/** Rows checked per transaction while reading a file (one read of the tenant's settings each). */
const STAGE_BATCH_ROWS = 2_000;
const HEARTBEAT_MS = 5_000;
/** How often a worker looks for queued jobs and jobs whose worker died. */
const POLL_MS = 5_000;
/** Staged rows deleted per statement once a job is done with them. */
const CLEANUP_BATCH_ROWS = 50_000;
/** Customers written by one import from which the tables are analysed at its end. */
const ANALYZE_AFTER_ROWS = 10_000;
const UNFINISHED: ReadonlySet<ImportStatus> = new Set(UNFINISHED_STATUSES);

/** The job stops between two steps: the service is shutting down, the job was cancelled, or another worker took it. */
class Interrupted extends Error {
  constructor(readonly reason: 'shutdown' | 'cancelled' | 'lost' | 'yield') {
    super(`import interrupted (${reason})`);
  }
}

/** What a running job's heartbeat learns, read by the steps between their batches. */
class JobSignal {
  constructor(readonly jobId: string) {}

  rowsRead = 0;
  bytesRead = 0;
  reading = false;
  interruption?: Exclude<Interrupted['reason'], 'yield'>;

  check(): void {
    if (this.interruption) throw new Interrupted(this.interruption);
  }
}

/**
 * Runs import jobs in the background, one at a time per process, step after step: read the file into
 * the staging table (`parsing`), decide every row's outcome (`deduplicating`), apply the chunks
 * (`applying`), then look for duplicate candidates of what was imported.
 *
 * Restart safety, as the duplicate scanner's: a job belongs to the worker that claimed it and reports a
 * heartbeat; a job whose worker stopped reporting for STALE_JOB_SECONDS (crash, kill -9) is claimed
 * again by the next worker that looks (at start-up and every few seconds), and a clean shutdown hands
 * its job back at once, between two steps. A job resumes where it was: reading starts over (the file
 * is kept until the job ends; staged rows of the interrupted read are dropped), deduplication is one
 * transaction, and applying continues with the chunks not yet recorded. If the staged rows are gone
 * (the database server restarted: the staging table is unlogged) or the file is, the job fails with a
 * report of what it had applied.
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportWorker.name);
  private readonly name = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly chunkRows: number;
  private readonly concurrency: number;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private signal?: JobSignal;
  private again = false;
  private stopping = false;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly writer: CustomerWriter,
    private readonly customFields: CustomFieldsService,
    private readonly chunks: ChunkApplier,
    private readonly detector: DuplicateDetector,
    private readonly eventBus: EventBus,
    config: CustomersEnv,
  ) {
    this.chunkRows = config.CUSTOMERS_IMPORT_CHUNK_ROWS;
    this.concurrency = config.CUSTOMERS_IMPORT_APPLY_CONCURRENCY;
  }

  onApplicationBootstrap(): void {
    // Jobs a previous process left unfinished are picked up right away.
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.signal) this.signal.interruption = 'shutdown';
    await this.loop;
  }

  /** Looks for work now (a job was just created or cancelled). */
  kick(): void {
    if (this.stopping) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.loop = this.work().finally(() => {
      this.loop = undefined;
      if (this.stopping) return;
      if (this.again) return this.kick();
      this.timer = setTimeout(() => this.kick(), POLL_MS);
      this.timer.unref();
    });
  }

  /** Stops the job at its next step if this worker runs it (other workers notice at their next heartbeat). */
  cancel(jobId: string): void {
    if (this.signal?.jobId === jobId) this.signal.interruption ??= 'cancelled';
    this.kick();
  }

  private async work(): Promise<void> {
    for (;;) {
      this.again = false;
      if (this.stopping) return;
      let job: ImportJobRow | null;
      try {
        job = await this.transactions.runAsSystem((manager) => this.imports.claim(manager, this.name));
      } catch (error) {
        this.logger.error(`looking for import jobs failed: ${(error as Error).message}`);
        return;
      }
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(claimed: ImportJobRow): Promise<void> {
    const signal = new JobSignal(claimed.id);
    this.signal = signal;
    const beat = setInterval(() => void this.beat(claimed, signal), HEARTBEAT_MS);
    let job = claimed;
    try {
      if (claimed.cancel_requested_at && UNFINISHED.has(claimed.status)) signal.interruption = 'cancelled';
      if (job.status === 'queued' || job.status === 'parsing') job = await this.parse(job, signal);
      if (job.status === 'deduplicating') job = await this.deduplicate(job, signal);
      if (job.status === 'applying') {
        job = await this.applyChunks(job, signal);
        await this.refreshStatistics(job);
      }
      if (job.status === 'succeeded' && (job.candidates_status === 'pending' || job.candidates_status === 'running')) await this.findCandidates(job, signal);
      await this.cleanUp(job);
    } catch (error) {
      await this.interrupted(job, error).catch((handling: Error) => this.logger.error(`import ${job.id} could not be wound up: ${handling.message}`));
    } finally {
      clearInterval(beat);
      this.signal = undefined;
    }
  }

  /** A step stopped: hand the job back (shutdown), end it (cancelled, failed), or, once its data is applied, only end the duplicate check. */
  private async interrupted(job: ImportJobRow, error: unknown): Promise<void> {
    const reason = error instanceof Interrupted ? error.reason : undefined;
    if (reason === 'shutdown' || reason === 'lost' || reason === 'yield') return this.release(job);
    if (!reason) this.logger.error(`import ${job.id} failed: ${(error as Error).message}`, (error as Error).stack);
    if (!UNFINISHED.has(job.status)) {
      await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.candidatesFinished(manager, job.id, reason === 'cancelled' ? 'skipped' : 'failed'));
      return this.cleanUp({ ...job, candidates_status: 'skipped' });
    }
    const { counts } = await this.totals(job);
    const finished = await this.transactions.runForTenant(job.tenant_id, (manager) =>
      reason === 'cancelled' ? this.finishIn(manager, job, 'cancelled', counts, 'Cancelled on request') : this.finishIn(manager, job, 'failed', counts, failureMessage(error)),
    );
    await this.cleanUp(finished);
  }

  private async beat(job: ImportJobRow, signal: JobSignal): Promise<void> {
    try {
      const progress = signal.reading ? { rowsRead: signal.rowsRead, bytesRead: signal.bytesRead } : undefined;
      const state = await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.heartbeat(manager, job.id, this.name, progress));
      if (!state.owned) signal.interruption = 'lost';
      else if (state.cancelRequested) signal.interruption ??= 'cancelled';
    } catch (error) {
      this.logger.warn(`heartbeat of import ${job.id} failed: ${(error as Error).message}`);
    }
  }

  // --- Reading the file

  private async parse(job: ImportJobRow, signal: JobSignal): Promise<ImportJobRow> {
    signal.check();
    if (!(await exists(job.file_path))) throw new JobFailure('The uploaded file is no longer available (it is kept on the instance that received it until the import ends)');
    await this.transactions.runForTenant(job.tenant_id, async (manager) => {
      await manager.query(`DELETE FROM customer_import_rows WHERE job_id = $1`, [job.id]);
      await this.imports.restartParsing(manager, job.id);
    });
    const context = await this.writeContext(job);
    const { mapping, problems } = compileMapping(job.mapping, {
      header: job.header,
      customFields: context.rules,
      createsOnly: job.dedup_mode === 'skip',
      markInvalid: job.mark_invalid,
    });
    if (!mapping) throw new JobFailure(`The mapping no longer fits (custom fields changed since the upload): ${problems.map((problem) => problem.message).join('; ')}`);
    const stager = new RowStager(this.writer, mapping, context, {
      markInvalid: job.mark_invalid,
      unresponsiveCutoff: unresponsiveCutoff(context.now, job.unresponsive_days),
      keepCells: job.dedup_mode !== 'skip',
    });

    const copy = new StagingCopy(this.dataSource);
    signal.reading = true;
    let rows = 0;
    try {
      let batch: CsvRecord[] = [];
      const flush = async () => {
        const records = batch;
        batch = [];
        const text = await this.transactions.runForTenant(job.tenant_id, async (manager) => {
          let lines = '';
          for (const record of records) lines += stagingLine(job.id, await stager.stage(manager, record));
          return lines;
        });
        await copy.write(text, records.length);
        rows += records.length;
        signal.rowsRead = rows;
        signal.check();
      };
      for await (const record of readRecords(job.file_path, job.encoding, (bytes) => (signal.bytesRead = bytes))) {
        batch.push(record);
        if (batch.length >= STAGE_BATCH_ROWS) await flush();
      }
      if (batch.length > 0) await flush();
      await copy.commit();
    } finally {
      signal.reading = false;
      await copy.close();
    }
    await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.parsed(manager, job.id, { read: rows, bytes: signal.bytesRead }));
    return { ...job, status: 'deduplicating', rows_read: rows, rows_staged: rows };
  }

  // --- Deciding every row's outcome

  private async deduplicate(job: ImportJobRow, signal: JobSignal): Promise<ImportJobRow> {
    signal.check();
    const starter = starterOf(job);
    return this.transactions.runForTenant(job.tenant_id, async (manager) => {
      const result = await deduplicate(manager, { id: job.id, tenantId: job.tenant_id, mode: job.dedup_mode, scope: ownershipScope(starter) });
      if (job.dry_run) {
        const { outcomes } = result;
        const counts: ImportCounts = {
          rejected: outcomes.rejected,
          inserted: outcomes.plain + outcomes.inserted,
          updated: outcomes.updated,
          merged: outcomes.merged,
          duplicates: outcomes.duplicate,
          markedInvalid: result.markedPlain,
        };
        return this.finishIn(manager, job, 'succeeded', counts);
      }
      const total = Math.ceil(result.lastRowNo / this.chunkRows);
      await this.imports.deduplicated(manager, job.id, { rows: this.chunkRows, total });
      return { ...job, status: 'applying' as ImportStatus, chunk_rows: this.chunkRows, chunks_total: total };
    });
  }

  // --- Applying

  private async applyChunks(job: ImportJobRow, signal: JobSignal): Promise<ImportJobRow> {
    signal.check();
    const chunkRows = job.chunk_rows ?? this.chunkRows;
    const { staged, applied } = await this.transactions.runForTenant(job.tenant_id, async (manager) => ({
      staged: Number((await manager.query(`SELECT count(*) AS count FROM customer_import_rows WHERE job_id = $1`, [job.id]))[0].count),
      applied: await this.imports.appliedChunks(manager, job.id),
    }));
    if (staged !== job.rows_staged) {
      const { rowsApplied, counts } = await this.totals(job);
      throw new JobFailure(
        `The staged rows of this import were lost (the database restarted while it ran): ${rowsApplied} of ${job.rows_staged ?? 0} rows had been applied ` +
          `(${describeCounts(counts)}). Import the file again in skip mode to add the rest.`,
      );
    }
    const context = await this.writeContext(job);
    const pending: number[] = [];
    for (let chunk = 0; chunk < (job.chunks_total ?? 0); chunk++) if (!applied.has(chunk)) pending.push(chunk);

    // Chunks write disjoint customers (deduplication gave every customer one row that applies it), so
    // several can be applied at once.
    let failure: unknown;
    const lane = async () => {
      while (failure === undefined && pending.length > 0) {
        signal.check();
        const chunk = pending.shift() as number;
        try {
          await this.chunks.apply(job, chunk, chunkRows, context);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, Math.max(pending.length, 1)) }, lane));
    const stopped = lanes.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure !== undefined) throw failure;
    if (stopped) throw stopped.reason;
    const { counts } = await this.totals(job);
    return this.transactions.runForTenant(job.tenant_id, (manager) => this.finishIn(manager, job, 'succeeded', counts));
  }

  /**
   * A large import changes the tables at once, and until autovacuum analyses them the planner works from
   * the old statistics: searches then walked every customer in creation order instead of starting from
   * customer_search's indexes. Analysing right away costs about a second at a million customers.
   */
  private async refreshStatistics(job: ImportJobRow): Promise<void> {
    if (job.status !== 'succeeded' || job.dry_run || job.rows_inserted + job.rows_updated < ANALYZE_AFTER_ROWS) return;
    await this.transactions.runForTenant(job.tenant_id, (manager) => manager.query(`ANALYZE customers, customer_search`));
  }

  // --- Duplicate candidates of the imported customers

  private async findCandidates(job: ImportJobRow, signal: JobSignal): Promise<void> {
    let after = job.candidates_after_row;
    for (;;) {
      signal.check();
      // The check can take long after a big import; a job waiting to run goes first, the check resumes after it.
      if (this.again) throw new Interrupted('yield');
      const done = await this.transactions.runForTenant(job.tenant_id, async (manager) => {
        const rows: Array<{ row_no: number; customer_id: string }> = await manager.query(NEXT_IMPORTED_SQL, [job.id, after, CANDIDATE_BATCH_SIZE]);
        if (rows.length === 0) {
          await this.imports.candidatesFinished(manager, job.id, 'completed');
          return true;
        }
        const pairs: unknown[] = await manager.query(IMPORTED_CANDIDATES_SQL, [rows.map((row) => row.customer_id), job.tenant_id, this.detector.threshold, MATCHES_PER_RULE]);
        after = rows[rows.length - 1].row_no;
        await this.imports.candidatesProgress(manager, job.id, { status: 'running', checked: rows.length, pairs: pairs.length, afterRow: after });
        return false;
      });
      if (done) return;
    }
  }

  // --- Ending

  /** Ends the job in the caller's transaction and publishes its CustomersImported summary there. */
  private async finishIn(manager: EntityManager, job: ImportJobRow, status: ImportStatus, counts: ImportCounts, error?: string): Promise<ImportJobRow> {
    const applied = status === 'succeeded' && !job.dry_run && counts.inserted + counts.updated + counts.merged > 0;
    const finished = await this.imports.finish(manager, job.id, { status, counts, error, candidates: applied ? 'pending' : 'skipped' });
    await this.eventBus.publish(
      manager,
      CustomersImportedEvent,
      create(CustomersImportedSchema, {
        tenantId: job.tenant_id,
        importId: job.id,
        status,
        dryRun: job.dry_run,
        rowsRead: BigInt(finished.rows_read),
        inserted: BigInt(counts.inserted),
        updated: BigInt(counts.updated),
        merged: BigInt(counts.merged),
        duplicates: BigInt(counts.duplicates),
        invalid: BigInt(counts.rejected + counts.markedInvalid),
        startedBy: job.started_by,
        finishedAt: (finished.finished_at ?? new Date()).toISOString(),
      }),
      { subject: job.id, tenantId: job.tenant_id },
    );
    return finished;
  }

  /** Once a job needs them no more: its staged rows (in batches, they can be a million) and its file. */
  private async cleanUp(job: ImportJobRow): Promise<void> {
    if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'succeeded') return;
    if (job.status === 'succeeded' && job.candidates_status !== 'skipped') {
      const current = await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.find(manager, job.tenant_id, job.id));
      if (current?.candidates_status !== 'completed' && current?.candidates_status !== 'failed') return;
    }
    await rm(job.file_path, { force: true });
    const [{ last }] = await this.dataSource.query(`SELECT COALESCE(max(row_no), 0) AS last FROM customer_import_rows WHERE job_id = $1`, [job.id]);
    for (let from = 0; from < last; from += CLEANUP_BATCH_ROWS) {
      await this.dataSource.query(`DELETE FROM customer_import_rows WHERE job_id = $1 AND row_no > $2 AND row_no <= $3`, [job.id, from, from + CLEANUP_BATCH_ROWS]);
    }
    await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.release(manager, job.id, this.name));
  }

  private async release(job: ImportJobRow): Promise<void> {
    await this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.release(manager, job.id, this.name)).catch(() => undefined);
  }

  private totals(job: ImportJobRow) {
    return this.transactions.runForTenant(job.tenant_id, (manager) => this.imports.chunkTotals(manager, job.id));
  }

  /** The starter's write context, as their own writes would have it (scope, the tenant's custom fields). */
  private async writeContext(job: ImportJobRow): Promise<WriteContext> {
    const caller = starterOf(job);
    const rules = await this.transactions.runForTenant(job.tenant_id, (manager) => this.customFields.rules(manager));
    return { caller, scope: ownershipScope(caller), rules, now: new Date() };
  }
}

/** A failure whose message is for the job's starter; anything else is reported as an internal error. */
class JobFailure extends Error {}

function failureMessage(error: unknown): string {
  return error instanceof JobFailure ? error.message : 'The import failed unexpectedly; the service log has the details. Rows applied so far stay applied (see the counts).';
}

function describeCounts(counts: ImportCounts): string {
  return `inserted ${counts.inserted}, updated ${counts.updated}, merged ${counts.merged}, duplicates ${counts.duplicates}, rejected ${counts.rejected}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
