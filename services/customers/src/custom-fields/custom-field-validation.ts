import { normaliseText, type FieldProblem } from '../standardisation';
import type { CustomFieldValues } from '../customers/customer-fields';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** What validation needs of a definition. */
export interface CustomFieldRule {
  key: string;
  label: string;
  type: CustomFieldType;
  options: readonly string[];
  required: boolean;
}

export const CUSTOM_FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const CUSTOM_TEXT_MAX_LENGTH = 2_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const CUSTOM_FIELD_PROBLEMS = {
  unknown: 'unknown_custom_field',
  required: 'required',
  invalidText: 'invalid_text',
  invalidNumber: 'invalid_number',
  invalidDate: 'invalid_date',
  invalidOption: 'invalid_option',
} as const;

export interface CustomFieldsResult {
  value: CustomFieldValues;
  problems: FieldProblem[];
}

/**
 * Checks custom field values against the tenant's definitions and returns them in their canonical form
 * (text normalised, numbers as numbers, dates as YYYY-MM-DD). `changes` are the values a write gives:
 * `null` or an empty text removes a value; keys not given keep their `current` value. Every given key
 * must be defined; every required field must have a value in the result.
 */
export function applyCustomFields(
  changes: Readonly<Record<string, unknown>>,
  definitions: readonly CustomFieldRule[],
  current: CustomFieldValues = {},
  path = 'customFields',
): CustomFieldsResult {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const value: CustomFieldValues = { ...current };
  const problems: FieldProblem[] = [];
  for (const [key, raw] of Object.entries(changes)) {
    const field = `${path}.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      problems.push({ field, code: CUSTOM_FIELD_PROBLEMS.unknown, message: `${key} is not a custom field of this tenant (see GET /api/v1/custom-fields)` });
      continue;
    }
    const checked = checkValue(definition, raw);
    if ('problem' in checked) problems.push({ field, ...checked.problem });
    else if (checked.value === undefined) delete value[key];
    else value[key] = checked.value;
  }
  for (const definition of definitions) {
    if (definition.required && value[definition.key] === undefined && !problems.some((problem) => problem.field === `${path}.${definition.key}`)) {
      problems.push({ field: `${path}.${definition.key}`, code: CUSTOM_FIELD_PROBLEMS.required, message: `${definition.label} (${definition.key}) is required` });
    }
  }
  return { value, problems };
}

type Checked = { value: string | number | undefined } | { problem: Omit<FieldProblem, 'field'> };

function checkValue(definition: CustomFieldRule, raw: unknown): Checked {
  if (raw === null || raw === undefined) return { value: undefined };
  switch (definition.type) {
    case 'text': {
      if (typeof raw !== 'string') return invalid(CUSTOM_FIELD_PROBLEMS.invalidText, `${definition.key} must be text`);
      const text = normaliseText(raw);
      if (text.length > CUSTOM_TEXT_MAX_LENGTH) return invalid(CUSTOM_FIELD_PROBLEMS.invalidText, `${definition.key} must be at most ${CUSTOM_TEXT_MAX_LENGTH} characters`);
      return { value: text === '' ? undefined : text };
    }
    case 'number': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' && NUMBER_TEXT.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(number)) return invalid(CUSTOM_FIELD_PROBLEMS.invalidNumber, `${definition.key} must be a number`);
      return { value: number };
    }
    case 'date': {
      const date = typeof raw === 'string' ? raw.trim() : '';
      if (!isCalendarDate(date)) return invalid(CUSTOM_FIELD_PROBLEMS.invalidDate, `${definition.key} must be a date as YYYY-MM-DD`);
      return { value: date };
    }
    case 'select': {
      const option = typeof raw === 'string' ? normaliseText(raw) : undefined;
      if (option === '') return { value: undefined };
      if (option === undefined || !definition.options.includes(option)) {
        return invalid(CUSTOM_FIELD_PROBLEMS.invalidOption, `${definition.key} must be one of: ${definition.options.join(', ')}`);
      }
      return { value: option };
    }
  }
}

function invalid(code: string, message: string): Checked {
  return { problem: { code, message } };
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
