import { LIMITS, type Address } from '../customers/customer-fields';
import type { CustomerWrite } from '../customers/customer-writer';
import type { FieldProblem } from '../standardisation';
import type { CodedField, CompiledMapping, ScalarField } from './import-mapping';
import { IMPORT_PROBLEMS } from './import.errors';

/** One row of a file in the customer write shape, and what the cells themselves got wrong. */
export interface ImportRow {
  input: CustomerWrite;
  /** When the customer was last contacted; undefined when the row does not say. */
  lastContact?: Date;
  problems: FieldProblem[];
}

/**
 * Built-in translations of coded cells (compared lower-cased), so the usual Chinese and English labels
 * of old systems need no `values` in the mapping: 个人/企业, 潜在 … 流失 (the stages' Chinese names), 是/否.
 */
const SYNONYMS: Record<CodedField, ReadonlyMap<string, string | boolean>> = {
  type: table({ person: ['person', '个人', '自然人', '个人客户'], company: ['company', '企业', '公司', '单位', '机构', '企业客户', 'organization', 'organisation'] }),
  lifecycleStage: table({
    prospect: ['prospect', '潜在', '潜在客户'],
    new: ['new', '新客户', '新'],
    active: ['active', '活跃', '活跃客户'],
    dormant: ['dormant', '沉睡', '沉睡客户'],
    churned: ['churned', '流失', '流失客户'],
  }),
  valueTier: table({ A: ['a'], B: ['b'], C: ['c'] }),
  keyAccount: new Map<string, boolean>([
    ...['是', 'y', 'yes', 'true', '1', '√', '重点'].map((word): [string, boolean] => [word, true]),
    ...['否', 'n', 'no', 'false', '0', '×'].map((word): [string, boolean] => [word, false]),
  ]),
};

function table(words: Record<string, string[]>): Map<string, string> {
  return new Map(Object.entries(words).flatMap(([value, spellings]) => spellings.map((spelling): [string, string] => [spelling, value])));
}

/** The limits the write DTOs enforce, applied to cells (see customer-fields' LIMITS). */
const MAX_LENGTH: Partial<Record<ScalarField, number>> = {
  name: LIMITS.name,
  nameEn: LIMITS.name,
  industry: LIMITS.text,
  region: LIMITS.text,
  source: LIMITS.text,
  externalId: LIMITS.externalId,
};
const MAX_CONTACT_LENGTH = { phones: 64, emails: 320, wechatIds: LIMITS.text } as const;
const MAX_POSTAL_CODE = 20;

/**
 * A file's row as a customer write: single-valued fields from their first non-empty column (or the
 * default), lists from all their columns split at the separators, coded values translated, tags split.
 * Values the write path would refuse for their size or vocabulary are reported here; the meaning of
 * every value (phone numbers, e-mails, names, custom fields, ...) is for CustomerWriter to check.
 */
export function readRow(cells: readonly string[], mapping: CompiledMapping): ImportRow {
  const problems: FieldProblem[] = [];
  const input: Record<string, unknown> = {};
  const cell = (index: number): string => {
    const value = cells[index];
    if (value === undefined) return '';
    const trimmed = value.trim();
    return mapping.nullValues.has(trimmed) ? '' : trimmed;
  };
  const first = (columns: readonly number[]): string => {
    for (const column of columns) {
      const value = cell(column);
      if (value !== '') return value;
    }
    return '';
  };
  const split = (columns: readonly number[], separator: RegExp): string[] => {
    const values: string[] = [];
    for (const column of columns) {
      const value = cell(column);
      if (value === '') continue;
      for (const part of value.split(separator)) {
        const item = part.trim();
        if (item !== '' && !mapping.nullValues.has(item)) values.push(item);
      }
    }
    return values;
  };

  for (const { field, columns } of mapping.scalars) {
    const text = first(columns);
    if (text === '') continue;
    const max = MAX_LENGTH[field];
    if (max !== undefined && text.length > max) {
      problems.push({ field, code: IMPORT_PROBLEMS.tooLong, message: `${field} must be at most ${max} characters` });
      continue;
    }
    input[field] = isCoded(field) ? decode(field, text, mapping, problems) : text;
  }
  for (const [field, value] of Object.entries(mapping.defaults)) {
    if (input[field] === undefined && !problems.some((problem) => problem.field === field)) input[field] = value;
  }

  for (const { field, columns } of mapping.lists) {
    const values = split(columns, mapping.listSeparator);
    const tooLong = values.findIndex((value) => value.length > MAX_CONTACT_LENGTH[field]);
    if (tooLong >= 0) problems.push({ field: `${field}[${tooLong}]`, code: IMPORT_PROBLEMS.tooLong, message: `${field} must be at most ${MAX_CONTACT_LENGTH[field]} characters each` });
    else if (values.length > LIMITS.contacts) problems.push({ field, code: IMPORT_PROBLEMS.tooMany, message: `at most ${LIMITS.contacts} ${field} per customer` });
    else if (values.length > 0) input[field] = values;
  }

  const tags = [...split(mapping.tags, mapping.tagSeparator), ...mapping.defaultTags];
  const longTag = tags.find((tag) => tag.length > LIMITS.tag);
  if (longTag !== undefined) problems.push({ field: 'tags', code: IMPORT_PROBLEMS.tooLong, message: `tags must be at most ${LIMITS.tag} characters each` });
  else if (tags.length > LIMITS.tags) problems.push({ field: 'tags', code: IMPORT_PROBLEMS.tooMany, message: `at most ${LIMITS.tags} tags per customer` });
  else if (tags.length > 0) input.tags = tags;

  if (mapping.address.length > 0) {
    const address: Address = {};
    for (const { part, columns } of mapping.address) {
      const text = first(columns);
      if (text === '') continue;
      const max = part === 'postalCode' ? MAX_POSTAL_CODE : part === 'country' ? 2 : LIMITS.addressPart;
      if (text.length > max) problems.push({ field: `addresses[0].${part}`, code: IMPORT_PROBLEMS.tooLong, message: `${part} must be at most ${max} characters` });
      else address[part] = text;
    }
    if (Object.keys(address).length > 0) input.addresses = [address];
  }

  if (mapping.customFields.length > 0) {
    const customFields: Record<string, string> = {};
    for (const { key, columns } of mapping.customFields) {
      const text = first(columns);
      if (text !== '') customFields[key] = text;
    }
    input.customFields = customFields;
  }

  let lastContact: Date | undefined;
  const contactText = first(mapping.lastContact);
  if (contactText !== '') {
    lastContact = parseDate(contactText);
    if (!lastContact) {
      problems.push({ field: 'lastContact', code: IMPORT_PROBLEMS.invalidDate, message: `${JSON.stringify(contactText.slice(0, 40))} is not a date (2024-03-07, 2024/3/7 or 2024年3月7日)` });
    }
  }
  return { input: input as CustomerWrite, lastContact, problems };
}

function isCoded(field: ScalarField): field is CodedField {
  return field === 'type' || field === 'lifecycleStage' || field === 'valueTier' || field === 'keyAccount';
}

function decode(field: CodedField, text: string, mapping: CompiledMapping, problems: FieldProblem[]): string | boolean | undefined {
  const key = text.toLowerCase();
  const value = mapping.values[field]?.get(key) ?? SYNONYMS[field].get(key);
  if (value === undefined) {
    const known = field === 'keyAccount' ? '是/否, true/false' : [...new Set(SYNONYMS[field].values())].join(', ');
    problems.push({ field, code: IMPORT_PROBLEMS.invalidValue, message: `${JSON.stringify(text.slice(0, 40))} is not a known ${field} (${known}; the mapping's values can translate others)` });
  }
  return value;
}

/** 2024-03-07, 2024/3/7, 2024.3.7 or 2024年3月7日, optionally followed by a time, which is ignored. */
const DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:[\sT].*)?$/;

/** A calendar date (UTC midnight), or undefined when the text is not one. */
export function parseDate(text: string): Date | undefined {
  const match = DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}
