import type { CustomFieldRule } from '../custom-fields/custom-field-validation';
import { CUSTOMER_TYPES, LIFECYCLE_STAGES, LIMITS, VALUE_TIERS } from '../customers/customer-fields';
import type { FieldProblem } from '../standardisation';
import { IMPORT_PROBLEMS } from './import.errors';

/** Fields a column can feed; the customer write shape's, minus owner, consent and the encrypted numbers. */
export const SCALAR_FIELDS = ['type', 'name', 'nameEn', 'industry', 'region', 'source', 'externalId', 'lifecycleStage', 'valueTier', 'keyAccount'] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];
export const LIST_FIELDS = ['phones', 'emails', 'wechatIds'] as const;
export type ListField = (typeof LIST_FIELDS)[number];
export const ADDRESS_PARTS = ['label', 'country', 'province', 'city', 'district', 'street', 'postalCode'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

/** Fields with a closed vocabulary: cells are translated (`values`, then the built-in synonyms) and checked. */
export const CODED_FIELDS = ['type', 'lifecycleStage', 'valueTier', 'keyAccount'] as const;
export type CodedField = (typeof CODED_FIELDS)[number];
/** Fields a constant can fill when the file has no value (`defaults`). */
const DEFAULTABLE_FIELDS = ['type', 'industry', 'region', 'source', 'lifecycleStage', 'valueTier', 'keyAccount'] as const;

export type Columns = string | string[];

/**
 * The mapping as a caller sends it (JSON): which columns of the file feed which field. A field given
 * several columns reads them in order: a single-valued field takes the first non-empty one (filling a
 * gap from another column), phones, e-mails and WeChat ids collect them all.
 */
export interface ImportMappingInput {
  fields?: Partial<Record<ScalarField | ListField, Columns>>;
  /** One postal address per row, from these columns. */
  address?: Partial<Record<AddressPart, Columns>>;
  /** Columns holding tags, split at `tagSeparator`. */
  tags?: Columns;
  /** Characters that separate several tags in one cell; `,，;；、|` when absent. */
  tagSeparator?: string;
  /** Characters that separate several phones, e-mails or WeChat ids in one cell; `,，;；、/|` when absent. */
  listSeparator?: string;
  /** Custom field key → columns; every key must be one of the tenant's custom fields. */
  customFields?: Record<string, Columns>;
  /** The date the customer was last contacted, for marking long-unresponsive leads. */
  lastContactColumn?: Columns;
  /** Values for rows whose columns are empty (or not mapped); `tags` are added to every row. */
  defaults?: Partial<Record<(typeof DEFAULTABLE_FIELDS)[number], string | boolean>> & { tags?: string[] };
  /** The file's own codes for coded fields, e.g. `{"type": {"P": "person", "C": "company"}}`. */
  values?: Partial<Record<CodedField, Record<string, string | boolean>>>;
  /** Cells that mean "no value", compared after trimming; a list of the usual ones when absent. */
  nullValues?: string[];
}

/** Cells old systems write for "nothing here". */
export const DEFAULT_NULL_VALUES = ['无', '暂无', '空', '-', '--', '—', '/', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'none', 'None'];
export const DEFAULT_TAG_SEPARATOR = ',，;；、|';
export const DEFAULT_LIST_SEPARATOR = ',，;；、/|';

/** The mapping resolved against a file's header: column positions instead of names. */
export interface CompiledMapping {
  scalars: Array<{ field: ScalarField; columns: number[] }>;
  lists: Array<{ field: ListField; columns: number[] }>;
  address: Array<{ part: AddressPart; columns: number[] }>;
  tags: number[];
  customFields: Array<{ key: string; columns: number[] }>;
  lastContact: number[];
  defaults: Partial<Record<ScalarField, string | boolean>>;
  defaultTags: string[];
  values: Partial<Record<CodedField, ReadonlyMap<string, string | boolean>>>;
  nullValues: ReadonlySet<string>;
  tagSeparator: RegExp;
  listSeparator: RegExp;
}

export interface MappingContext {
  header: readonly string[];
  customFields: readonly CustomFieldRule[];
  /** In skip mode every imported row creates a customer, so what a create needs must be mapped. */
  createsOnly: boolean;
  markInvalid: boolean;
}

const TOP_LEVEL_KEYS = new Set(['fields', 'address', 'tags', 'tagSeparator', 'listSeparator', 'customFields', 'lastContactColumn', 'defaults', 'values', 'nullValues']);
const MAPPABLE_FIELDS = new Set<string>([...SCALAR_FIELDS, ...LIST_FIELDS]);
const VOCABULARY: Record<Exclude<CodedField, 'keyAccount'>, readonly string[]> = { type: CUSTOMER_TYPES, lifecycleStage: LIFECYCLE_STAGES, valueTier: VALUE_TIERS };
const MAX_COLUMNS_PER_FIELD = 20;

/**
 * Checks a mapping against the file's header and the tenant's custom fields, and compiles it. Every
 * problem is reported at once (`mapping.fields.phones[1]`, with what is wrong), so a caller fixes the
 * mapping in one go.
 */
export function compileMapping(raw: unknown, context: MappingContext): { mapping?: CompiledMapping; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, code: string, message: string) => problems.push({ field: `mapping${field ? `.${field}` : ''}`, code, message });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem('', IMPORT_PROBLEMS.invalidMapping, 'mapping must be a JSON object such as {"fields": {"name": ["客户名称"], "phones": ["手机", "电话"]}}');
    return { problems };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_KEYS.has(key)) problem(key, IMPORT_PROBLEMS.invalidMapping, `${key} is not part of a mapping (${[...TOP_LEVEL_KEYS].join(', ')})`);
  }

  const positions = headerPositions(context.header);
  const columns = (path: string, value: unknown): number[] => {
    const names = typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 && value.every((name) => typeof name === 'string') ? (value as string[]) : undefined;
    if (!names || names.length > MAX_COLUMNS_PER_FIELD) {
      problem(path, IMPORT_PROBLEMS.invalidMapping, `${path} must be a column name or a list of 1 to ${MAX_COLUMNS_PER_FIELD} column names`);
      return [];
    }
    const found: number[] = [];
    names.forEach((name, index) => {
      const at = positions.get(name.trim());
      const where = Array.isArray(value) ? `${path}[${index}]` : path;
      if (at === undefined) problem(where, IMPORT_PROBLEMS.unknownColumn, `The file has no column ${JSON.stringify(name)} (its columns: ${quoteHeader(context.header)})`);
      else if (at === AMBIGUOUS) problem(where, IMPORT_PROBLEMS.ambiguousColumn, `The file has more than one column ${JSON.stringify(name)}`);
      else found.push(at);
    });
    return found;
  };
  const objectAt = (key: string): Record<string, unknown> => {
    const value = input[key];
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problem(key, IMPORT_PROBLEMS.invalidMapping, `${key} must be an object`);
      return {};
    }
    return value as Record<string, unknown>;
  };

  const mapping: CompiledMapping = {
    scalars: [],
    lists: [],
    address: [],
    tags: [],
    customFields: [],
    lastContact: [],
    defaults: {},
    defaultTags: [],
    values: {},
    nullValues: new Set(DEFAULT_NULL_VALUES),
    tagSeparator: separatorPattern(DEFAULT_TAG_SEPARATOR),
    listSeparator: separatorPattern(DEFAULT_LIST_SEPARATOR),
  };

  for (const [field, value] of Object.entries(objectAt('fields'))) {
    if (!MAPPABLE_FIELDS.has(field)) {
      problem(`fields.${field}`, IMPORT_PROBLEMS.invalidMapping, `${field} is not a field an import can fill (${[...MAPPABLE_FIELDS].join(', ')})`);
      continue;
    }
    const found = columns(`fields.${field}`, value);
    if (found.length === 0) continue;
    if ((LIST_FIELDS as readonly string[]).includes(field)) mapping.lists.push({ field: field as ListField, columns: found });
    else mapping.scalars.push({ field: field as ScalarField, columns: found });
  }
  for (const [part, value] of Object.entries(objectAt('address'))) {
    if (!(ADDRESS_PARTS as readonly string[]).includes(part)) {
      problem(`address.${part}`, IMPORT_PROBLEMS.invalidMapping, `${part} is not part of an address (${ADDRESS_PARTS.join(', ')})`);
      continue;
    }
    const found = columns(`address.${part}`, value);
    if (found.length > 0) mapping.address.push({ part: part as AddressPart, columns: found });
  }
  if (input.tags !== undefined) mapping.tags = columns('tags', input.tags);
  if (input.lastContactColumn !== undefined) mapping.lastContact = columns('lastContactColumn', input.lastContactColumn);

  const definitions = new Map(context.customFields.map((definition) => [definition.key, definition]));
  const customFields = objectAt('customFields');
  for (const [key, value] of Object.entries(customFields)) {
    if (!definitions.has(key)) {
      problem(`customFields.${key}`, IMPORT_PROBLEMS.unknownCustomField, `${key} is not a custom field of this tenant (see GET /api/v1/custom-fields)`);
      continue;
    }
    const found = columns(`customFields.${key}`, value);
    if (found.length > 0) mapping.customFields.push({ key, columns: found });
  }

  for (const [key, value] of Object.entries(objectAt('defaults'))) compileDefault(mapping, key, value, problem);
  for (const [field, table] of Object.entries(objectAt('values'))) compileValues(mapping, field, table, problem);

  if (input.nullValues !== undefined) {
    const values = input.nullValues;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) problem('nullValues', IMPORT_PROBLEMS.invalidMapping, 'nullValues must be a list of texts');
    else mapping.nullValues = new Set(values.map((value) => value.trim()));
  }
  for (const key of ['tagSeparator', 'listSeparator'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 10) problem(key, IMPORT_PROBLEMS.invalidMapping, `${key} must be 1 to 10 separator characters, e.g. "|"`);
    else mapping[key] = separatorPattern(value);
  }

  const mapped = (field: ScalarField) => mapping.scalars.some((entry) => entry.field === field) || mapping.defaults[field] !== undefined;
  if (context.createsOnly && !mapped('name')) {
    problem('fields.name', IMPORT_PROBLEMS.requiredMapping, 'name must be mapped: every imported customer needs one (e.g. "name": ["客户名称", "联系人"])');
  }
  if (context.createsOnly) {
    for (const definition of context.customFields) {
      if (definition.required && customFields[definition.key] === undefined) {
        problem(`customFields.${definition.key}`, IMPORT_PROBLEMS.requiredMapping, `${definition.label} (${definition.key}) is a required custom field and must be mapped`);
      }
    }
  }
  if (context.markInvalid && mapping.lists.length === 0) {
    problem('fields', IMPORT_PROBLEMS.requiredMapping, 'markInvalid judges whether a lead can be reached by its phones, emails and wechatIds: map at least one of them');
  }
  return problems.length > 0 ? { problems } : { mapping, problems };
}

const AMBIGUOUS = -1;

/** Column name → position; a name used twice maps to AMBIGUOUS. Names are compared trimmed. */
function headerPositions(header: readonly string[]): Map<string, number> {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim();
    if (key === '') return;
    positions.set(key, positions.has(key) ? AMBIGUOUS : index);
  });
  return positions;
}

function quoteHeader(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((name) => JSON.stringify(name.trim()));
  return shown.join(', ') + (header.length > 30 ? `, … (${header.length} in all)` : '');
}

function separatorPattern(characters: string): RegExp {
  return new RegExp(`[${[...characters].map((char) => char.replace(/[\\\]^-]/g, (special) => `\\${special}`)).join('')}]`);
}

type ProblemSink = (field: string, code: string, message: string) => void;

function compileDefault(mapping: CompiledMapping, key: string, value: unknown, problem: ProblemSink): void {
  const path = `defaults.${key}`;
  if (key === 'tags') {
    if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string' && tag.trim().length > 0 && tag.length <= LIMITS.tag)) {
      problem(path, IMPORT_PROBLEMS.invalidMapping, `defaults.tags must be a list of tags of at most ${LIMITS.tag} characters`);
    } else mapping.defaultTags = value.map((tag) => tag.trim());
    return;
  }
  if (!(DEFAULTABLE_FIELDS as readonly string[]).includes(key)) {
    problem(path, IMPORT_PROBLEMS.invalidMapping, `${key} cannot have a default (${[...DEFAULTABLE_FIELDS, 'tags'].join(', ')})`);
    return;
  }
  const field = key as (typeof DEFAULTABLE_FIELDS)[number];
  if (field === 'keyAccount') {
    if (typeof value !== 'boolean') problem(path, IMPORT_PROBLEMS.invalidMapping, 'defaults.keyAccount must be true or false');
    else mapping.defaults.keyAccount = value;
    return;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > LIMITS.text) {
    problem(path, IMPORT_PROBLEMS.invalidMapping, `${path} must be a text of at most ${LIMITS.text} characters`);
    return;
  }
  if (field in VOCABULARY && !VOCABULARY[field as keyof typeof VOCABULARY].includes(value)) {
    problem(path, IMPORT_PROBLEMS.invalidMapping, `${path} must be one of ${VOCABULARY[field as keyof typeof VOCABULARY].join(', ')}`);
    return;
  }
  mapping.defaults[field] = value.trim();
}

function compileValues(mapping: CompiledMapping, field: string, table: unknown, problem: ProblemSink): void {
  const path = `values.${field}`;
  if (!(CODED_FIELDS as readonly string[]).includes(field)) {
    problem(path, IMPORT_PROBLEMS.invalidMapping, `${field} has no coded values (${CODED_FIELDS.join(', ')})`);
    return;
  }
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    problem(path, IMPORT_PROBLEMS.invalidMapping, `${path} must be an object of the file's value → ours`);
    return;
  }
  const coded = field as CodedField;
  const translations = new Map<string, string | boolean>();
  for (const [from, to] of Object.entries(table as Record<string, unknown>)) {
    const valid = coded === 'keyAccount' ? typeof to === 'boolean' : typeof to === 'string' && VOCABULARY[coded].includes(to);
    if (!valid) {
      const expected = coded === 'keyAccount' ? 'true or false' : `one of ${VOCABULARY[coded].join(', ')}`;
      problem(`${path}.${from}`, IMPORT_PROBLEMS.invalidMapping, `${JSON.stringify(from)} must translate to ${expected}`);
      continue;
    }
    translations.set(from.trim().toLowerCase(), to as string | boolean);
  }
  mapping.values[coded] = translations;
}
