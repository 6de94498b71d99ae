import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { searchColumns } from '../customers/customer-search';
import type { CustomerWriter, WriteContext } from '../customers/customer-writer';
import { PROBLEM_CODES, type FieldProblem } from '../standardisation';
import type { CsvRecord } from './csv-records';
import type { CompiledMapping } from './import-mapping';
import { readRow } from './import-row';
import type { StagedRow } from './import-staging';
import { IMPORT_PROBLEMS } from './import.errors';
import { invalidLeadReasons, withInvalidLeadTags } from './invalid-leads';

export interface StagerOptions {
  markInvalid: boolean;
  /** Leads last contacted before this are long unresponsive. */
  unresponsiveCutoff: Date;
  /** Keep every row's cells, not only the rejected ones': the write path may still refuse a row while applying it (update, merge). */
  keepCells: boolean;
}

/** A created customer whose file does not say otherwise is a person. */
const IMPLICIT_TYPE = 'person';

/**
 * Turns a file's row into a staged row: cells read through the mapping, then checked and made canonical
 * by CustomerWriter exactly as a created customer's write is (standardisation, custom fields, data
 * minimisation), then the search-index values and the invalid-lead marks computed. A row the write
 * path refuses is staged as rejected with every reason; one that only lacks what a create needs may
 * still update an existing customer, which deduplication decides.
 */
export class RowStager {
  constructor(
    private readonly writer: CustomerWriter,
    private readonly mapping: CompiledMapping,
    private readonly context: WriteContext,
    private readonly options: StagerOptions,
  ) {}

  async stage(manager: EntityManager, record: CsvRecord): Promise<StagedRow> {
    if ('malformed' in record) {
      return rejected(record.rowNo, [], [{ field: '', code: IMPORT_PROBLEMS.malformedRow, message: `The row could not be read as CSV: ${record.malformed}` }]);
    }
    const read = readRow(record.cells, this.mapping);
    const input = read.input.type === undefined ? { ...read.input, type: IMPLICIT_TYPE as 'person' } : read.input;
    const target = { id: randomUUID(), tenantId: this.context.caller.tenantId };
    const { resolved, problems: writeProblems } = await this.writer.resolve(manager, input, this.context, target);
    const problems = [...read.problems, ...writeProblems];
    const onlyRequired = problems.length > 0 && problems.every((problem) => problem.code === PROBLEM_CODES.required);
    if (problems.length > 0 && !onlyRequired) return rejected(record.rowNo, record.cells, problems);

    const phones = resolved.phones ?? [];
    const emails = resolved.emails ?? [];
    const wechatIds = resolved.wechatIds ?? [];
    const tags = resolved.tags ?? [];
    const reasons = this.options.markInvalid ? invalidLeadReasons({ phones, emails, wechatIds }, read.lastContact, this.options.unresponsiveCutoff) : [];
    const markedTags = reasons.length > 0 ? withInvalidLeadTags(tags, reasons) : null;
    const search = searchColumns({ name: resolved.name ?? '', nameEn: resolved.nameEn ?? null, phones, emails });
    return {
      rowNo: record.rowNo,
      customerId: target.id,
      type: read.input.type === undefined ? null : (resolved.type ?? null),
      name: resolved.name ?? null,
      nameEn: resolved.nameEn ?? null,
      phones,
      emails,
      wechatIds,
      addresses: resolved.addresses && resolved.addresses.length > 0 ? resolved.addresses : null,
      industry: resolved.industry ?? null,
      region: resolved.region ?? null,
      source: resolved.source ?? null,
      lifecycleStage: resolved.lifecycleStage ?? null,
      valueTier: resolved.valueTier ?? null,
      keyAccount: resolved.keyAccount ?? null,
      tags,
      markedTags,
      searchTags: (markedTags ?? tags).map((tag) => tag.toLowerCase()),
      customFields: resolved.customFields && Object.keys(resolved.customFields).length > 0 ? resolved.customFields : null,
      externalId: resolved.externalId ?? null,
      lastContact: read.lastContact ?? null,
      invalidReasons: reasons.length > 0 ? reasons : null,
      nameSearch: search.nameSearch,
      nameBigrams: search.nameBigrams,
      phoneSearch: search.phoneSearch,
      emailSearch: search.emailSearch,
      problems: onlyRequired ? problems : null,
      needsExisting: onlyRequired,
      cells: onlyRequired || this.options.keepCells ? record.cells : null,
      outcome: null,
    };
  }
}

function rejected(rowNo: number, cells: readonly string[], problems: FieldProblem[]): StagedRow {
  return {
    rowNo,
    customerId: randomUUID(),
    type: null,
    name: null,
    nameEn: null,
    phones: [],
    emails: [],
    wechatIds: [],
    addresses: null,
    industry: null,
    region: null,
    source: null,
    lifecycleStage: null,
    valueTier: null,
    keyAccount: null,
    tags: [],
    markedTags: null,
    searchTags: [],
    customFields: null,
    externalId: null,
    lastContact: null,
    invalidReasons: null,
    nameSearch: null,
    nameBigrams: null,
    phoneSearch: null,
    emailSearch: null,
    problems,
    needsExisting: false,
    cells,
    outcome: 'rejected',
  };
}
