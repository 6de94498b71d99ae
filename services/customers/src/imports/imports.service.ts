import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { ownershipScope, principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomersEnv } from '../config/customers.env';
import { CustomerWriter, type WriteContext } from '../customers/customer-writer';
import { CustomersService } from '../customers/customers.service';
import type { FieldProblem } from '../standardisation';
import { encodingNamed } from './csv-encoding';
import { readHeader } from './csv-records';
import { ImportOptionsDto, type ImportJobDto, type ListImportsQueryDto } from './dto/import.dto';
import { compileMapping } from './import-mapping';
import { receiveUpload } from './import-upload';
import { ImportWorker } from './import-worker';
import { toImportJobDto } from './import.mapper';
import { IMPORT_PROBLEMS, ImportFinishedError, ImportNotFoundError, InvalidImportError } from './import.errors';
import { ImportsRepository, type ErrorRow, type ImportJobWithProgress } from './imports.repository';
import { DEFAULT_UNRESPONSIVE_DAYS } from './invalid-leads';
import { csvLine } from './csv-output';

const ERRORS_PAGE = 1_000;

/**
 * Import jobs: accepting an upload (the file is on disk and the mapping checked against its header
 * before the 202), and showing jobs to whoever may see them: the user who started one, and admins.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly imports: ImportsRepository,
    private readonly customers: CustomersService,
    private readonly writer: CustomerWriter,
    private readonly worker: ImportWorker,
    private readonly config: CustomersEnv,
  ) {}

  async start(req: IncomingMessage, res: ServerResponse): Promise<ImportJobDto> {
    const caller = principal();
    const scope = ownershipScope();
    const upload = await receiveUpload(req, res, { dir: this.config.CUSTOMERS_IMPORT_DIR, maxBytes: this.config.CUSTOMERS_IMPORT_MAX_BYTES });
    try {
      const options = checkOptions(upload.fields);
      const encoding = options.encoding && options.encoding !== 'auto' ? (encodingNamed(options.encoding) ?? upload.sniffedEncoding) : upload.sniffedEncoding;
      const header = await readHeader(upload.path, encoding);
      if (header.length === 0) throw new InvalidImportError([{ field: 'file', code: 'empty_file', message: 'The file is empty: it needs a header row and rows of customers' }]);
      const mapping = parseMapping(options.mapping);
      const dedupMode = options.dedupMode ?? 'skip';
      const markInvalid = options.markInvalid ?? false;
      const ownerId = options.ownerId ?? caller.userId;
      const id = randomUUID();
      const job = await this.transactions.run(async (manager) => {
        const context = await this.customers.writeContext(manager, caller, scope);
        const compiled = compileMapping(mapping, { header, customFields: context.rules, createsOnly: dedupMode === 'skip', markInvalid });
        const problems = [...compiled.problems, ...(await this.ownerProblems(manager, ownerId, context))];
        if (problems.length > 0) throw new InvalidImportError(problems, 'The mapping or the options do not fit the file');
        await this.imports.insert(manager, {
          id,
          tenantId: caller.tenantId,
          startedBy: caller.userId,
          starterRoles: caller.roles,
          starterTeamIds: caller.teamIds,
          dryRun: options.dryRun ?? false,
          dedupMode,
          markInvalid,
          unresponsiveDays: options.unresponsiveDays ?? DEFAULT_UNRESPONSIVE_DAYS,
          ownerId,
          mapping,
          fileName: upload.fileName,
          filePath: upload.path,
          fileBytes: upload.bytes,
          encoding,
          header,
        });
        return this.imports.findWithProgress(manager, caller.tenantId, id);
      });
      if (!job) throw new ImportNotFoundError(id);
      this.worker.kick();
      return toImportJobDto(job);
    } catch (error) {
      await rm(upload.path, { force: true });
      throw error;
    }
  }

  async get(id: string): Promise<ImportJobDto> {
    return this.transactions.run(async (manager) => toImportJobDto(await this.visibleJob(manager, id)));
  }

  /** Newest first: an admin's list is the tenant's, anyone else's their own. */
  async list(query: ListImportsQueryDto): Promise<Page<ImportJobDto>> {
    const caller = principal();
    const startedBy = ownershipScope().kind === 'tenant' ? null : caller.userId;
    return this.transactions.run(async (manager) => {
      const page = await this.imports.page(manager, caller.tenantId, startedBy, { limit: query.limit, cursor: query.cursor, total: query.total });
      return mapPage(page, (job) => toImportJobDto(job));
    });
  }

  /** Stops a job between two of its steps; what it applied stays applied. */
  async cancel(id: string): Promise<ImportJobDto> {
    const job = await this.transactions.run(async (manager) => {
      const found = await this.visibleJob(manager, id);
      if (!(await this.imports.requestCancel(manager, found.tenant_id, found.id))) throw new ImportFinishedError(found.id, found.status);
      return this.visibleJob(manager, id);
    });
    this.worker.cancel(job.id);
    return toImportJobDto(job);
  }

  /**
   * The rejected rows as CSV, streamed a page at a time: row number, reasons, then the row's cells under
   * the file's own header. UTF-8 with a byte order mark, which Excel needs to show Chinese text.
   */
  async writeErrors(id: string, res: ServerResponse): Promise<void> {
    const caller = principal();
    const job = await this.transactions.run((manager) => this.visibleJob(manager, id));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="import-${job.id}-errors.csv"`);
    res.setHeader('cache-control', 'no-store');
    await write(res, `\ufeff${csvLine(['row', 'reasons', ...job.header])}`);
    for (let after = 0; ; ) {
      const rows: ErrorRow[] = await this.transactions.run((manager) => this.imports.errors(manager, caller.tenantId, job.id, after, ERRORS_PAGE));
      if (rows.length === 0) break;
      let text = '';
      for (const row of rows) text += csvLine([String(row.row_no), describeProblems(row.problems), ...row.cells]);
      await write(res, text);
      after = rows[rows.length - 1].row_no;
      if (rows.length < ERRORS_PAGE) break;
    }
    res.end();
  }

  /** 404 for jobs of other tenants and, unless the caller is an admin, for jobs someone else started. */
  private async visibleJob(manager: EntityManager, id: string): Promise<ImportJobWithProgress> {
    const caller = principal();
    const job = isUuid(id) ? await this.imports.findWithProgress(manager, caller.tenantId, id) : null;
    if (!job || (ownershipScope().kind !== 'tenant' && job.started_by !== caller.userId)) throw new ImportNotFoundError(id);
    return job;
  }

  /** The owner rules of every write (CustomerWriter's), asked once for the whole job with a probe write. */
  private async ownerProblems(manager: EntityManager, ownerId: string, context: WriteContext): Promise<FieldProblem[]> {
    if (ownerId === context.caller.userId) return [];
    const { problems } = await this.writer.resolve(manager, { type: 'person', name: 'probe', ownerId }, context, { id: randomUUID(), tenantId: context.caller.tenantId });
    return problems.filter((problem) => problem.field === 'ownerId');
  }
}

function checkOptions(fields: Record<string, string>): ImportOptionsDto {
  const options = plainToInstance(ImportOptionsDto, fields);
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length > 0) {
    throw new InvalidImportError(
      errors.flatMap((error) =>
        Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
          field: error.property,
          code: constraint === 'whitelistValidation' ? 'unknown_field' : constraint === 'isNotEmpty' || constraint === 'isString' ? 'required' : IMPORT_PROBLEMS.invalidValue,
          message,
        })),
      ),
    );
  }
  return options;
}

function parseMapping(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidImportError([{ field: 'mapping', code: IMPORT_PROBLEMS.invalidMapping, message: `mapping is not valid JSON: ${(error as Error).message}` }]);
  }
}

function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join('; ');
}

/** Writes with back pressure: waits for the socket to drain, and gives up when the client has gone. */
function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const drained = (): void => {
      res.off('close', gone);
      resolve();
    };
    const gone = (): void => {
      res.off('drain', drained);
      reject(new Error('the client went away'));
    };
    res.once('drain', drained);
    res.once('close', gone);
  });
}
