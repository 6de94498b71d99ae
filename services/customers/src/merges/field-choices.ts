import type { CustomerEntity } from '../customers/customer.entity';
import type { FieldProblem } from '../standardisation';
import { CUSTOM_FIELD_CHOICE_PREFIX, MERGE_FIELDS, type FieldChoices } from './merge-rules';

const KNOWN_FIELDS: ReadonlySet<string> = new Set(MERGE_FIELDS);

/**
 * `fieldChoices` of a merge request checked against its customers: every field a merge field (or
 * `customFields.<key>` of a key one of them has), every value the id of one of them.
 */
export function parseFieldChoices(raw: Readonly<Record<string, unknown>> | undefined, customers: readonly CustomerEntity[]): { choices: FieldChoices; problems: FieldProblem[] } {
  const choices = new Map<string, string>();
  const problems: FieldProblem[] = [];
  const ids = new Set(customers.map((customer) => customer.id));
  for (const [field, value] of Object.entries(raw ?? {})) {
    const path = `fieldChoices.${field}`;
    if (!isKnownField(field, customers)) {
      problems.push({ field: path, code: 'unknown_field', message: `${field} is not a field a merge combines (${MERGE_FIELDS.join(', ')}, or customFields.<key> of a key these customers have)` });
    } else if (typeof value !== 'string' || !ids.has(value.toLowerCase())) {
      problems.push({ field: path, code: 'not_in_merge', message: `The value of ${field} must be the id of the survivor or of a merged customer` });
    } else {
      choices.set(field, value.toLowerCase());
    }
  }
  return { choices, problems };
}

function isKnownField(field: string, customers: readonly CustomerEntity[]): boolean {
  if (KNOWN_FIELDS.has(field)) return true;
  if (!field.startsWith(CUSTOM_FIELD_CHOICE_PREFIX)) return false;
  const key = field.slice(CUSTOM_FIELD_CHOICE_PREFIX.length);
  return key !== '' && customers.some((customer) => Object.hasOwn(customer.customFields, key));
}
