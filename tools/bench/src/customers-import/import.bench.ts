import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sampleImport, SAMPLE_IMPORT_HEADER, SAMPLE_IMPORT_MAPPING, type SampleImportTruth } from '@crm/customers';
import { createTestDatabase, internalCredentialHeaders } from '@crm/testing';
import { benchPostgres } from '../events/bench-database';
import { printFigure, round } from '../events/figures';
import { rawCopySeconds } from './raw-copy';
import { startCustomersProcess } from './service-process';
import { uploadMultipart } from './upload';

/** Rows of the generated file: `--rows=100000` or BENCH_ROWS, a million by default. */
const ROWS = positiveInteger(option('rows') ?? process.env.BENCH_ROWS, 1_000_000);
const TARGET_ROWS_PER_SECOND = 20_000;
const TARGET_PEAK_RSS_BYTES = 1024 ** 3;
const TARGET_COPY_RATIO = 0.1;
const POLL_MS = 250;
/** How long the duplicate check after the import is watched (its rate is reported if it has not finished by then). */
const DUPLICATE_CHECK_WAIT_S = positiveInteger(process.env.BENCH_DUPLICATE_CHECK_WAIT_S, 120);
const MIB = 1024 ** 2;

interface Job {
  id: string;
  status: string;
  error: string | null;
  progress: { rowsRead: number; rowsApplied: number };
  counts: { read: number; inserted: number; updated: number; merged: number; duplicates: number; rejected: number; markedInvalid: number };
  duplicateCheck: { status: string; customersChecked: number; pairsFound: number };
}

/**
 * `npm run bench -- import`: a generated CSV of realistic, dirty Chinese customer rows (BENCH_ROWS, a
 * million by default; ~5% repeat an earlier customer's phone in another format, ~2% are invalid)
 * uploaded to the customers service running in its own process, as deployed, through its HTTP API with
 * the headers the gateway sends, then polled to the end. Figures: rows per second end to end (upload to
 * the job's success), the service's peak RSS, and the ratio to a raw COPY of the same file into a bare
 * table; the job's counts are checked against what the generator knows the file holds. The duplicate
 * check of the imported customers, which runs after the job has succeeded, is timed on its own.
 */
export async function runImportBench(): Promise<void> {
  const postgres = await benchPostgres();
  const work = mkdtempSync(path.join(tmpdir(), 'crm-bench-import-'));
  const database = await createTestDatabase('bench_import');
  const file = path.join(work, 'customers.csv');
  try {
    const truth = await generate(file);
    const copySeconds = await rawCopySeconds(database.adminUrl, file, SAMPLE_IMPORT_HEADER.length);
    printFigure({ bench: 'import', figure: 'raw_copy', rows: ROWS, seconds: round(copySeconds), rowsPerSecond: Math.round(ROWS / copySeconds) });

    const service = await startCustomersProcess({
      DATABASE_URL: database.url,
      MIGRATE_ON_START: 'true',
      EVENT_TRANSPORT: 'in-process',
      CUSTOMERS_PII_KEY: randomBytes(32).toString('base64'),
      CUSTOMERS_IMPORT_DIR: path.join(work, 'uploads'),
      LOG_LEVEL: 'warn',
    });
    try {
      const identity = { tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'], teamIds: [] };
      const started = performance.now();
      const accepted = await uploadMultipart(
        `${service.url}/api/v1/customers/imports`,
        internalCredentialHeaders(identity),
        { path: file, name: 'customers.csv', field: 'file' },
        { mapping: JSON.stringify(SAMPLE_IMPORT_MAPPING) },
      );
      if (accepted.status !== 202) throw new Error(`upload answered ${accepted.status}: ${JSON.stringify(accepted.body).slice(0, 1_000)}`);
      const uploadSeconds = (performance.now() - started) / 1000;
      const jobId = (accepted.body as Job).id;

      const phases = new Map<string, number>();
      let job = await poll(service.url, identity, jobId, (current) => {
        if (!phases.has(current.status)) phases.set(current.status, (performance.now() - started) / 1000);
        return ['succeeded', 'failed', 'cancelled'].includes(current.status);
      });
      const seconds = (performance.now() - started) / 1000;
      if (job.status !== 'succeeded') throw new Error(`the import ${job.status}: ${job.error}`);
      const rss = service.peakRss();
      const rowsPerSecond = ROWS / seconds;
      const copyRowsPerSecond = ROWS / copySeconds;
      printFigure({
        bench: 'import',
        figure: 'phases_s',
        upload: round(uploadSeconds),
        ...Object.fromEntries([...phases].map(([status, at]) => [`${status}_from`, round(at)])),
        succeeded: round(seconds),
      });
      printFigure({ bench: 'import', figure: 'rows_per_second', rows: ROWS, seconds: round(seconds), value: Math.round(rowsPerSecond), target: TARGET_ROWS_PER_SECOND, met: rowsPerSecond >= TARGET_ROWS_PER_SECOND });
      printFigure({ bench: 'import', figure: 'peak_rss_mib', value: round(rss / MIB, 1), target: TARGET_PEAK_RSS_BYTES / MIB, met: rss < TARGET_PEAK_RSS_BYTES });
      printFigure({ bench: 'import', figure: 'ratio_to_raw_copy', value: round(rowsPerSecond / copyRowsPerSecond, 3), target: TARGET_COPY_RATIO, met: rowsPerSecond / copyRowsPerSecond >= TARGET_COPY_RATIO });

      const countsMatch = checkCounts(job, truth);
      const checkUntil = performance.now() + DUPLICATE_CHECK_WAIT_S * 1000;
      job = await poll(service.url, identity, jobId, (current) => !['pending', 'running'].includes(current.duplicateCheck.status) || performance.now() > checkUntil);
      const checkSeconds = (performance.now() - started) / 1000 - seconds;
      printFigure({
        bench: 'import',
        figure: 'duplicate_check_after_import',
        status: job.duplicateCheck.status,
        customers: job.duplicateCheck.customersChecked,
        pairs: job.duplicateCheck.pairsFound,
        seconds: round(checkSeconds),
        customersPerSecond: Math.round(job.duplicateCheck.customersChecked / Math.max(checkSeconds, 0.001)),
      });
      if (!countsMatch) throw new Error('the import counts differ from what the file holds');
    } finally {
      await service.stop();
    }
  } finally {
    await database.drop();
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function generate(file: string): Promise<SampleImportTruth> {
  const started = performance.now();
  const sample = sampleImport(ROWS);
  const out = createWriteStream(file);
  let buffer = '';
  for (const line of sample.lines) {
    buffer += line;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  const truth = sample.truth();
  printFigure({
    bench: 'import',
    figure: 'file',
    rows: ROWS,
    mib: round(statSync(file).size / MIB, 1),
    expectedCustomers: truth.customers,
    expectedDuplicates: truth.duplicates,
    expectedRejected: truth.rejected,
    generationSeconds: round((performance.now() - started) / 1000),
  });
  return truth;
}

function checkCounts(job: Job, truth: SampleImportTruth): boolean {
  const expected = { read: truth.rows, inserted: truth.customers, duplicates: truth.duplicates, rejected: truth.rejected, updated: 0, merged: 0 };
  const actual = { read: job.counts.read, inserted: job.counts.inserted, duplicates: job.counts.duplicates, rejected: job.counts.rejected, updated: job.counts.updated, merged: job.counts.merged };
  const match = Object.entries(expected).every(([key, value]) => actual[key as keyof typeof actual] === value);
  printFigure({ bench: 'import', figure: 'counts', match, expected: JSON.stringify(expected), actual: JSON.stringify(actual) });
  return match;
}

async function poll(url: string, identity: Record<string, unknown>, id: string, done: (job: Job) => boolean): Promise<Job> {
  for (;;) {
    const response = await fetch(`${url}/api/v1/customers/imports/${id}`, { headers: internalCredentialHeaders(identity) });
    if (!response.ok) throw new Error(`GET import: ${response.status} ${await response.text()}`);
    const job = (await response.json()) as Job;
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
