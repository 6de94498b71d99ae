/**
 * Standardisation of one customer write (create, PATCH, batch upsert, import row): every field that is
 * present is put into canonical form, invalid values are reported per field and left out, and nothing
 * throws, so one bad row can never abort a batch or a million-row import.
 */
import { normaliseEmail, normaliseName, normalisePhone, normaliseText, PROBLEM_CODES, quoteValue, type FieldProblem, type Normalised } from '@crm/platform/standardisation';

/** The standardised part of the write shape; other fields (addresses, customFields, ...) pass through untouched. */
export interface CustomerWriteInput {
  type?: string;
  name?: string;
  nameEn?: string;
  phones?: string[];
  emails?: string[];
  wechatIds?: string[];
  industry?: string;
  region?: string;
  source?: string;
  tags?: string[];
  [key: string]: unknown;
}

export interface StandardiseOptions {
  /** Country for phone numbers written without +; a tenant setting for companies outside mainland China. */
  defaultCountry?: string;
}

export interface StandardisedCustomer<T> {
  value: T;
  problems: FieldProblem[];
}

/** Optional free-text fields; blank stays '' so the caller decides what clearing a field means. */
const TEXT_FIELDS = ['nameEn', 'industry', 'region', 'source'] as const;

/** Above this many items a Set beats scanning the output for duplicates; below it the scan is cheaper. */
const SMALL_LIST = 8;

/** Empty entries in a list (blank CSV cells, `''` from a form) are dropped without a problem. */
const BLANK = /^[\s\u200b-\u200d\u2060\ufeff]*$/;

type ItemNormaliser = (raw: string) => Normalised<string>;

/** Whether a field is present at all: absent and undefined fields are left alone (PATCH semantics). */
function isPresent(value: Record<string, unknown>, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, field) && value[field] !== undefined;
}

function invalidType(field: string, expected: string, raw: unknown): FieldProblem {
  return { field, code: PROBLEM_CODES.invalidType, message: `${field} must be ${expected}, got ${quoteValue(raw)}` };
}

function textItem(raw: string): Normalised<string> {
  return { ok: true, value: normaliseText(raw) };
}

/**
 * Normalises each item, drops blanks, reports invalid items under their original index (`phones[1]`) and
 * keeps the first of several items that are equal after normalisation (compared by `keyOf`), in order.
 */
function standardiseList(
  field: string,
  items: readonly unknown[],
  normalise: ItemNormaliser,
  keyOf: (value: string) => string,
  invalidCode: string,
  problems: FieldProblem[],
): string[] {
  const out: string[] = [];
  const keys: string[] = [];
  const seen = items.length > SMALL_LIST ? new Set<string>() : undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined || item === null || (typeof item === 'string' && BLANK.test(item))) continue;
    if (typeof item !== 'string') {
      problems.push({ field: `${field}[${i}]`, code: invalidCode, message: `${field}[${i}] must be a string, got ${quoteValue(item)}` });
      continue;
    }
    const result = normalise(item);
    if (!result.ok) {
      problems.push({ field: `${field}[${i}]`, code: result.code, message: result.message });
      continue;
    }
    if (result.value === '') continue;
    const key = keyOf(result.value);
    if (seen ? seen.has(key) : keys.includes(key)) continue;
    if (seen) seen.add(key);
    else keys.push(key);
    out.push(result.value);
  }
  return out;
}

function identity(value: string): string {
  return value;
}

function lowerCase(value: string): string {
  return value.toLowerCase();
}

function standardiseFields(value: Record<string, unknown>, options: StandardiseOptions, problems: FieldProblem[]): void {
  if (isPresent(value, 'type')) {
    // An enum ('person' | 'company'), checked by the DTO; folding case lets `Company` from a spreadsheet pass.
    const type = value.type;
    if (typeof type === 'string') value.type = normaliseText(type).toLowerCase();
    else if (type !== null) {
      problems.push(invalidType('type', 'a string', type));
      delete value.type;
    }
  }

  if (isPresent(value, 'name')) {
    const name = value.name;
    const normalised = typeof name === 'string' ? normaliseName(name) : '';
    if (normalised !== '') value.name = normalised;
    else {
      if (typeof name === 'string' || name === null) problems.push({ field: 'name', code: PROBLEM_CODES.required, message: 'name must not be empty' });
      else problems.push(invalidType('name', 'a string', name));
      delete value.name;
    }
  }

  for (const field of TEXT_FIELDS) {
    if (!isPresent(value, field)) continue;
    const text = value[field];
    if (typeof text === 'string') value[field] = normaliseText(text);
    else if (text !== null) {
      problems.push(invalidType(field, 'a string', text));
      delete value[field];
    }
  }

  const phone: ItemNormaliser = options.defaultCountry === undefined ? normalisePhone : (raw) => normalisePhone(raw, options.defaultCountry);
  standardiseListField(value, 'phones', phone, identity, PROBLEM_CODES.invalidPhone, problems);
  standardiseListField(value, 'emails', normaliseEmail, identity, PROBLEM_CODES.invalidEmail, problems);
  standardiseListField(value, 'wechatIds', textItem, identity, PROBLEM_CODES.invalidType, problems);
  // Tags are labels people type in many spellings: `VIP` and `vip` are one tag, the first spelling wins.
  standardiseListField(value, 'tags', textItem, lowerCase, PROBLEM_CODES.invalidType, problems);
}

function standardiseListField(
  value: Record<string, unknown>,
  field: string,
  normalise: ItemNormaliser,
  keyOf: (value: string) => string,
  invalidCode: string,
  problems: FieldProblem[],
): void {
  if (!isPresent(value, field)) return;
  const items = value[field];
  if (Array.isArray(items)) value[field] = standardiseList(field, items, normalise, keyOf, invalidCode, problems);
  else if (items !== null) {
    problems.push(invalidType(field, 'a list of strings', items));
    delete value[field];
  }
}

/**
 * A standardised copy of a customer write (the input is not modified) and one problem per rejected value.
 * Absent fields stay absent and `null` stays `null` (clearing an optional field is the caller's business),
 * except `name`, which may not become empty.
 */
export function standardiseCustomer<T extends CustomerWriteInput>(input: T, options: StandardiseOptions = {}): StandardisedCustomer<T> {
  const problems: FieldProblem[] = [];
  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      problems.push({ field: '', code: PROBLEM_CODES.invalidType, message: `a customer must be an object, got ${quoteValue(input)}` });
      return { value: {} as T, problems };
    }
    const value: Record<string, unknown> = { ...input };
    standardiseFields(value, options ?? {}, problems);
    return { value: value as T, problems };
  } catch {
    // Only a hostile object gets here (a getter or proxy trap that throws when read): report, don't throw.
    // The error itself is not inspected, as reading it could throw again.
    return { value: {} as T, problems: [{ field: '', code: PROBLEM_CODES.invalidType, message: 'the customer could not be read' }] };
  }
}
