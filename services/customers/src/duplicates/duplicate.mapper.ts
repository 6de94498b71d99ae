import type { DetectedPairRow } from './duplicate-rules';
import type { DuplicateCustomerSummaryDto, DuplicatePairDto, DuplicateScanDto, DuplicateStatus, PossibleDuplicateDto, ScanStatus } from './dto/duplicate.dto';

/** Each checked customer's pairs, seen from its side (a pair of two checked customers shows on both). */
export function toPossibleDuplicates(customerIds: readonly string[], rows: readonly DetectedPairRow[]): Map<string, PossibleDuplicateDto[]> {
  const byCustomer = new Map<string, PossibleDuplicateDto[]>(customerIds.map((id) => [id, []]));
  for (const row of rows) {
    const score = Number(row.score);
    byCustomer.get(row.customer_a_id)?.push({ id: row.customer_b_id, score, reasons: [...row.reasons] });
    byCustomer.get(row.customer_b_id)?.push({ id: row.customer_a_id, score, reasons: [...row.reasons] });
  }
  for (const list of byCustomer.values()) list.sort((x, y) => y.score - x.score || x.id.localeCompare(y.id));
  return byCustomer;
}

/** A row of the list query: the pair and both customers' columns, prefixed `a_` and `b_`. */
export interface DuplicatePairRow {
  id: string;
  score: string;
  reasons: string[];
  status: DuplicateStatus;
  detected_at: Date;
  [column: string]: unknown;
}

export function toDuplicatePairDto(row: DuplicatePairRow): DuplicatePairDto {
  return {
    id: row.id,
    score: Number(row.score),
    reasons: [...row.reasons],
    status: row.status,
    detectedAt: row.detected_at.toISOString(),
    customerA: summaryOf(row, 'a_'),
    customerB: summaryOf(row, 'b_'),
  };
}

function summaryOf(row: DuplicatePairRow, prefix: 'a_' | 'b_'): DuplicateCustomerSummaryDto {
  const column = <T>(name: string) => row[`${prefix}${name}`] as T;
  return {
    id: column<string>('id'),
    name: column<string>('name'),
    nameEn: column<string | null>('name_en'),
    type: column<string>('type'),
    phones: [...column<string[]>('phones')],
    emails: [...column<string[]>('emails')],
    region: column<string | null>('region'),
    industry: column<string | null>('industry'),
    ownerId: column<string | null>('owner_id'),
  };
}

export interface DuplicateScanRow {
  id: string;
  status: ScanStatus;
  customers_total: number;
  customers_scanned: number;
  pairs_found: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export function toDuplicateScanDto(row: DuplicateScanRow): DuplicateScanDto {
  return {
    id: row.id,
    status: row.status,
    customersTotal: row.customers_total,
    customersScanned: row.customers_scanned,
    pairsFound: row.pairs_found,
    error: row.error,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}
