import type { DataSource, QueryRunner } from 'typeorm';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { Address, CustomFieldValues } from '../customers/customer-fields';
import type { FieldProblem } from '../standardisation';
import { copyBoolean, copyDate, copyInteger, copyJson, copyLine, copyText, copyTextArray } from './copy-text';
import type { InvalidLeadReason } from './invalid-leads';

/** One row of a file as it is staged: canonical values, search-index values, and what is wrong with it. */
export interface StagedRow {
  rowNo: number;
  /** The id the customer gets if this row creates one. */
  customerId: string;
  /** Null: not given (a created customer is a person). */
  type: string | null;
  name: string | null;
  nameEn: string | null;
  phones: readonly string[];
  emails: readonly string[];
  wechatIds: readonly string[];
  addresses: readonly Address[] | null;
  industry: string | null;
  region: string | null;
  source: string | null;
  lifecycleStage: string | null;
  valueTier: string | null;
  keyAccount: boolean | null;
  tags: readonly string[];
  /** `tags` with the invalid-lead marks, when the row is marked. */
  markedTags: readonly string[] | null;
  /** Lower-cased `markedTags ?? tags`, as customer_search keeps them. */
  searchTags: readonly string[];
  customFields: CustomFieldValues | null;
  externalId: string | null;
  lastContact: Date | null;
  invalidReasons: readonly InvalidLeadReason[] | null;
  nameSearch: string | null;
  nameBigrams: readonly string[] | null;
  phoneSearch: string | null;
  emailSearch: string | null;
  problems: readonly FieldProblem[] | null;
  /** Only a create would be refused (required values missing): fine for a row that matches an existing customer. */
  needsExisting: boolean;
  /** The row's cells as read, kept for rows that are (or may be) rejected. */
  cells: readonly string[] | null;
  /** 'rejected' when the row can never be imported; else decided by deduplication. */
  outcome: 'rejected' | null;
}

const STAGING_COLUMNS = [
  'job_id',
  'row_no',
  'customer_id',
  'type',
  'name',
  'name_en',
  'phones',
  'emails',
  'wechat_ids',
  'addresses',
  'industry',
  'region',
  'source',
  'lifecycle_stage',
  'value_tier',
  'key_account',
  'tags',
  'marked_tags',
  'search_tags',
  'custom_fields',
  'external_id',
  'last_contact',
  'invalid_reasons',
  'name_search',
  'name_bigrams',
  'phone_search',
  'email_search',
  'problems',
  'needs_existing',
  'cells',
  'outcome',
];

const COPY_SQL = `COPY customer_import_rows (${STAGING_COLUMNS.join(', ')}) FROM STDIN`;

/** The row as one line of COPY input (text format), columns in STAGING_COLUMNS order. */
export function stagingLine(jobId: string, row: StagedRow): string {
  return copyLine([
    jobId,
    copyInteger(row.rowNo),
    row.customerId,
    copyText(row.type),
    copyText(row.name),
    copyText(row.nameEn),
    copyTextArray(row.phones),
    copyTextArray(row.emails),
    copyTextArray(row.wechatIds),
    copyJson(row.addresses),
    copyText(row.industry),
    copyText(row.region),
    copyText(row.source),
    copyText(row.lifecycleStage),
    copyText(row.valueTier),
    copyBoolean(row.keyAccount),
    copyTextArray(row.tags),
    copyTextArray(row.markedTags),
    copyTextArray(row.searchTags),
    copyJson(row.customFields),
    copyText(row.externalId),
    copyDate(row.lastContact),
    copyTextArray(row.invalidReasons),
    copyText(row.nameSearch),
    copyTextArray(row.nameBigrams),
    copyText(row.phoneSearch),
    copyText(row.emailSearch),
    copyJson(row.problems),
    copyBoolean(row.needsExisting),
    copyTextArray(row.cells),
    copyText(row.outcome),
  ]);
}

/** Rows per COPY statement: each is committed on its own, so progress is visible and no statement gets huge. */
const ROWS_PER_COPY = 100_000;

/**
 * Streams staged rows into `customer_import_rows` with COPY on a connection of its own. PostgreSQL
 * ingests while the caller prepares the next rows; `write` waits only when the socket is backed up.
 */
export class StagingCopy {
  private runner?: QueryRunner;
  private stream?: Writable;
  private finished?: Promise<void>;
  private rowsInCopy = 0;

  constructor(private readonly dataSource: DataSource) {}

  async write(text: string, rows: number): Promise<void> {
    if (!this.stream) await this.open();
    const stream = this.stream as Writable;
    if (!stream.write(text)) await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(error);
      stream.once('error', failed);
      stream.once('drain', () => {
        stream.off('error', failed);
        resolve();
      });
    });
    this.rowsInCopy += rows;
    if (this.rowsInCopy >= ROWS_PER_COPY) await this.commit();
  }

  /** Ends the current COPY (its rows are committed). */
  async commit(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    this.rowsInCopy = 0;
    stream.end();
    await this.finished;
  }

  /** Gives the connection back; a COPY still open is abandoned (its rows are not committed). */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.destroyed) stream.destroy(new Error('import stopped'));
    await this.finished?.catch(() => undefined);
    await this.runner?.release();
    this.runner = undefined;
  }

  private async open(): Promise<void> {
    if (!this.runner) {
      this.runner = this.dataSource.createQueryRunner();
      await this.runner.connect();
    }
    const client = (this.runner as unknown as { databaseConnection: { query(stream: Writable): Writable } }).databaseConnection;
    const stream = client.query(copyFrom(COPY_SQL));
    this.finished = new Promise<void>((resolve, reject) => {
      stream.once('finish', resolve);
      stream.once('error', reject);
    });
    // A failure is reported by `commit` (or the next write's drain); the promise must not go unobserved meanwhile.
    this.finished.catch(() => undefined);
    this.stream = stream;
  }
}
