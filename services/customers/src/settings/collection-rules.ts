import type { FieldProblem } from '../standardisation';

/** The optional sensitive fields of a customer write a tenant may decide not to collect. */
export const OPTIONAL_SENSITIVE_FIELDS = ['nationalId', 'bankAccount', 'wechatIds', 'addresses'] as const;
export type OptionalSensitiveField = (typeof OPTIONAL_SENSITIVE_FIELDS)[number];

/** What a tenant collects; without settings, everything. */
export interface CollectionSettings {
  collect: Record<OptionalSensitiveField, boolean>;
  notCollectedCustomFields: readonly string[];
}

export const COLLECT_EVERYTHING: CollectionSettings = Object.freeze({
  collect: Object.freeze({ nationalId: true, bankAccount: true, wechatIds: true, addresses: true }),
  notCollectedCustomFields: Object.freeze([]) as readonly string[],
});

export const FIELD_COLLECTION_DISABLED = 'field_collection_disabled';

/** The fields of a write as the DTOs let them through; only the ones settings can refuse matter here. */
export type CollectableWrite = Partial<Record<OptionalSensitiveField, unknown>> & { customFields?: Readonly<Record<string, unknown>> };

/** Whether the write could carry a value the tenant may refuse: most writes do not, and need no settings. */
export function mayCarryOptionalData(input: CollectableWrite): boolean {
  return OPTIONAL_SENSITIVE_FIELDS.some((field) => carriesValue(input[field])) || Object.values(input.customFields ?? {}).some(carriesValue);
}

/**
 * One problem per value the tenant does not collect. Removing a value (null, an empty list or text) is
 * always allowed: that is how a tenant gets rid of what it collected before switching a field off.
 */
export function collectionProblems(settings: CollectionSettings, input: CollectableWrite): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of OPTIONAL_SENSITIVE_FIELDS) {
    if (!settings.collect[field] && carriesValue(input[field])) problems.push(refused(field));
  }
  for (const key of settings.notCollectedCustomFields) {
    if (carriesValue(input.customFields?.[key])) problems.push(refused(`customFields.${key}`));
  }
  return problems;
}

function refused(field: string): FieldProblem {
  return { field, code: FIELD_COLLECTION_DISABLED, message: `This tenant does not collect ${field} (GET /api/v1/customers/settings/privacy)` };
}

function carriesValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
