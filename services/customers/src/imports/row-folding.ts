import { LIMITS, type Address } from '../customers/customer-fields';
import type { CustomerEntity } from '../customers/customer.entity';
import type { CustomerWrite } from '../customers/customer-writer';
import type { DedupMode } from './import-job';

/** Fields of one value; the rest of a write is lists and custom fields. */
const SCALARS = ['type', 'name', 'nameEn', 'industry', 'region', 'source', 'lifecycleStage', 'valueTier', 'keyAccount', 'externalId'] as const;
const CONTACT_LISTS = ['phones', 'emails', 'wechatIds'] as const;

type Mode = Exclude<DedupMode, 'skip'>;

/**
 * One write out of several rows of a file that are one customer (their values are canonical already):
 * lists are joined in file order without repeats; of single values, `update` keeps the last row's (the
 * file is read as a history, newest last) and `merge` the first one's (later rows only fill gaps).
 */
export function combineRows(mode: Mode, rows: readonly CustomerWrite[]): CustomerWrite {
  const combined: Record<string, unknown> = {};
  const ordered = mode === 'update' ? [...rows].reverse() : rows;
  for (const field of SCALARS) {
    const row = ordered.find((candidate) => candidate[field] !== undefined && candidate[field] !== null);
    if (row) combined[field] = row[field];
  }
  for (const field of CONTACT_LISTS) {
    const values = union(rows.map((row) => row[field] ?? []), LIMITS.contacts);
    if (values.length > 0) combined[field] = values;
  }
  const tags = unionIgnoringCase(rows.map((row) => row.tags ?? []), LIMITS.tags);
  if (tags.length > 0) combined.tags = tags;
  const addresses = unionAddresses(rows.map((row) => (row.addresses ?? []) as Address[]));
  if (addresses.length > 0) combined.addresses = addresses;
  const customFields = Object.assign({}, ...ordered.slice().reverse().map((row) => row.customFields ?? {})) as Record<string, unknown>;
  if (Object.keys(customFields).length > 0) combined.customFields = customFields;
  return combined as CustomerWrite;
}

/**
 * The write that brings the file's values into an existing customer. `update`: the file wins: its single
 * values replace the customer's, its contacts come first (the customer's others are kept), its custom
 * fields are set. `merge`: the customer wins: the file only fills single values the customer lacks, and
 * adds contacts and custom fields it does not have. Tags are added in both.
 */
export function againstCustomer(mode: Mode, customer: CustomerEntity, write: CustomerWrite): CustomerWrite {
  const result: Record<string, unknown> = {};
  for (const field of SCALARS) {
    const value = write[field];
    if (value === undefined || value === null) continue;
    if (mode === 'merge' && !isEmpty(customer[field])) continue;
    result[field] = value;
  }
  for (const field of CONTACT_LISTS) {
    const given = write[field];
    if (!given || given.length === 0) continue;
    result[field] = mode === 'update' ? union([given, customer[field]], LIMITS.contacts) : union([customer[field], given], LIMITS.contacts);
  }
  if (write.tags && write.tags.length > 0) result.tags = unionIgnoringCase([customer.tags, write.tags], LIMITS.tags);
  if (write.addresses && write.addresses.length > 0) {
    const given = write.addresses as Address[];
    result.addresses = mode === 'update' ? unionAddresses([given, customer.addresses]) : unionAddresses([customer.addresses, given]);
  }
  if (write.customFields) {
    const fields = Object.entries(write.customFields).filter(([key]) => mode === 'update' || customer.customFields[key] === undefined);
    if (fields.length > 0) result.customFields = Object.fromEntries(fields);
  }
  return result as CustomerWrite;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function union(lists: ReadonlyArray<readonly string[]>, limit: number): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const value of list) if (seen.size < limit) seen.add(value);
  return [...seen];
}

/** Tags compare without case, as everywhere (`VIP` and `vip` are one tag); the first spelling stays. */
function unionIgnoringCase(lists: ReadonlyArray<readonly string[]>, limit: number): string[] {
  const seen = new Map<string, string>();
  for (const list of lists) {
    for (const tag of list) {
      const key = tag.toLowerCase();
      if (!seen.has(key) && seen.size < limit) seen.set(key, tag);
    }
  }
  return [...seen.values()];
}

function unionAddresses(lists: ReadonlyArray<readonly Address[]>): Address[] {
  const seen = new Map<string, Address>();
  for (const list of lists) {
    for (const address of list) {
      const key = JSON.stringify(Object.entries(address).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (!seen.has(key) && seen.size < LIMITS.addresses) seen.set(key, address);
    }
  }
  return [...seen.values()];
}
