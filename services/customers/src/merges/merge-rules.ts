import {
  CONSENT_CHANNELS,
  LIMITS,
  type ChannelConsent,
  type Consent,
  type CustomFieldValues,
  type LifecycleStage,
  type ValueTier,
} from '../customers/customer-fields';
import type { CustomerEntity } from '../customers/customer.entity';
import type { ResolvedWrite } from '../customers/customer-writer';
import type { FieldProblem } from '../standardisation';

/** Fields a merge combines, by their REST names; `fieldChoices` may name any of them or `customFields.<key>`. */
export const MERGE_FIELDS = [
  'type',
  'name',
  'nameEn',
  'phones',
  'emails',
  'wechatIds',
  'addresses',
  'industry',
  'region',
  'source',
  'ownerId',
  'lifecycleStage',
  'valueTier',
  'keyAccount',
  'tags',
  'consent',
  'customFields',
  'externalId',
  'nationalId',
  'bankAccount',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const CUSTOM_FIELD_CHOICE_PREFIX = 'customFields.';

/**
 * How far a relationship has come, for picking the stage of a merged customer: a current customer
 * (active, then new) before a lapsed one (dormant, then churned), and any customer before a prospect.
 */
const STAGE_RANK: Readonly<Record<LifecycleStage, number>> = { prospect: 0, churned: 1, dormant: 2, new: 3, active: 4 };
const TIER_RANK: Readonly<Record<ValueTier, number>> = { C: 0, B: 1, A: 2 };

/** `fieldChoices` after validation: field (or `customFields.<key>`) → the customer whose value wins. */
export type FieldChoices = ReadonlyMap<string, string>;

type SecretField = 'nationalId' | 'bankAccount';

export interface MergePlan {
  /** The survivor's values after the merge, for `CustomerWriter.apply` (national ID and bank account aside). */
  write: ResolvedWrite;
  /** Whose encrypted national ID and bank account the survivor keeps; null: none. */
  secrets: Record<SecretField, CustomerEntity | null>;
  /** Fields (`consent.<channel>`, `customFields.<key>` for parts) whose value now comes from a merged customer. */
  valuesFrom: Record<string, string>;
  /** Lists the union made longer than a customer may have; pick one customer's list with `fieldChoices`. */
  overLimits: FieldProblem[];
}

/**
 * The survivor's values after merging `customers` (survivor first, then the merged ones in request
 * order), field by field:
 *  - scalars (type, name, nameEn, industry, region, source, ownerId, externalId, nationalId,
 *    bankAccount): the survivor's when set, else the first merged customer's that has one;
 *  - phones, e-mails, WeChat ids, addresses, tags: the union, survivor's first, without repeats
 *    (values are standardised, so equal values compare equal; tags ignore case);
 *  - customFields: key by key, like scalars;
 *  - consent: per channel, the most recently recorded decision (granted or denied, by its time);
 *  - lifecycleStage: the most advanced (active, new, dormant, churned, prospect);
 *  - valueTier: the best (A, B, C); keyAccount: if any is one.
 * A `fieldChoices` entry replaces the rule of its field with the named customer's value, even an
 * empty one (`customFields.<key>` for one custom field).
 */
export function planMerge(customers: readonly CustomerEntity[], choices: FieldChoices): MergePlan {
  const [survivor] = customers;
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const valuesFrom: Record<string, string> = {};

  /** The chosen customer's value, else the rule's; remembers where it came from. */
  const decide = <T>(field: string, valueOf: (customer: CustomerEntity) => T, rule: () => { value: T; from?: CustomerEntity }): T => {
    const chosenId = choices.get(field);
    const chosen = chosenId ? byId.get(chosenId) : undefined;
    const { value, from } = chosen ? { value: valueOf(chosen), from: chosen } : rule();
    if (from && from !== survivor) valuesFrom[field] = from.id;
    return value;
  };
  const scalar = <T>(field: string, valueOf: (customer: CustomerEntity) => T | null) => decide(field, valueOf, () => firstSet(customers, valueOf));
  const union = <T>(field: string, valueOf: (customer: CustomerEntity) => readonly T[], key: (value: T) => string) =>
    decide(field, (customer) => [...valueOf(customer)], () => ({ value: unionOf(customers.map(valueOf), key) }));

  const write: ResolvedWrite = {
    type: scalar('type', (customer) => customer.type) ?? survivor.type,
    name: scalar('name', (customer) => customer.name) ?? survivor.name,
    nameEn: scalar('nameEn', (customer) => customer.nameEn),
    phones: union('phones', (customer) => customer.phones, String),
    emails: union('emails', (customer) => customer.emails, String),
    wechatIds: union('wechatIds', (customer) => customer.wechatIds, String),
    addresses: union('addresses', (customer) => customer.addresses, (address) => JSON.stringify(sortedKeys(address))),
    industry: scalar('industry', (customer) => customer.industry),
    region: scalar('region', (customer) => customer.region),
    source: scalar('source', (customer) => customer.source),
    ownerId: scalar('ownerId', (customer) => customer.ownerId),
    lifecycleStage: decide('lifecycleStage', (customer) => customer.lifecycleStage, () => best(customers, (customer) => STAGE_RANK[customer.lifecycleStage], (customer) => customer.lifecycleStage)),
    valueTier: decide('valueTier', (customer) => customer.valueTier, () =>
      best(customers, (customer) => (customer.valueTier ? TIER_RANK[customer.valueTier] : -1), (customer) => customer.valueTier),
    ),
    keyAccount: decide('keyAccount', (customer) => customer.keyAccount, () => {
      const keyAccount = customers.find((customer) => customer.keyAccount);
      return { value: keyAccount !== undefined, from: keyAccount };
    }),
    tags: union('tags', (customer) => customer.tags, (tag) => tag.toLowerCase()),
    consent: decide('consent', (customer) => ({ ...customer.consent }), () => ({ value: latestConsent(customers, valuesFrom, survivor) })),
    customFields: mergeCustomFields(customers, choices, byId, valuesFrom),
    externalId: scalar('externalId', (customer) => customer.externalId),
  };
  const secrets = {
    nationalId: scalar('nationalId', (customer) => (customer.nationalIdEncrypted ? customer : null)),
    bankAccount: scalar('bankAccount', (customer) => (customer.bankAccountEncrypted ? customer : null)),
  };
  return { write, secrets, valuesFrom, overLimits: overLimits(write) };
}

/** The first customer (survivor first) with a value; empty text counts as none. */
function firstSet<T>(customers: readonly CustomerEntity[], valueOf: (customer: CustomerEntity) => T | null): { value: T | null; from?: CustomerEntity } {
  for (const customer of customers) {
    const value = valueOf(customer);
    if (value !== null && value !== undefined && value !== '') return { value, from: customer };
  }
  return { value: null };
}

/** The value of the highest-ranked customer; the earlier one (survivor first) on a tie. */
function best<T>(customers: readonly CustomerEntity[], rank: (customer: CustomerEntity) => number, valueOf: (customer: CustomerEntity) => T): { value: T; from: CustomerEntity } {
  const winner = customers.reduce((top, customer) => (rank(customer) > rank(top) ? customer : top));
  return { value: valueOf(winner), from: winner };
}

function unionOf<T>(lists: ReadonlyArray<readonly T[]>, key: (value: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const value of lists.flat()) {
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(value);
  }
  return out;
}

function sortedKeys(value: object): Array<[string, unknown]> {
  return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Per channel the decision recorded last (granted or denied, with its time); unknown when nobody recorded one. */
function latestConsent(customers: readonly CustomerEntity[], valuesFrom: Record<string, string>, survivor: CustomerEntity): Consent {
  const consent = { ...survivor.consent };
  for (const channel of CONSENT_CHANNELS) {
    let latest: { entry: ChannelConsent; at: number; from: CustomerEntity } | undefined;
    for (const customer of customers) {
      const entry = customer.consent[channel];
      if (!entry || entry.status === 'unknown' || !entry.at) continue;
      const at = Date.parse(entry.at);
      if (!latest || at > latest.at) latest = { entry, at, from: customer };
    }
    if (!latest) continue;
    consent[channel] = { ...latest.entry };
    if (latest.from !== survivor) valuesFrom[`consent.${channel}`] = latest.from.id;
  }
  return consent;
}

/** Key by key: survivor's, else the first merged customer's; `customFields` and `customFields.<key>` choices on top. */
function mergeCustomFields(customers: readonly CustomerEntity[], choices: FieldChoices, byId: ReadonlyMap<string, CustomerEntity>, valuesFrom: Record<string, string>): CustomFieldValues {
  const [survivor] = customers;
  const wholeChoice = choices.get('customFields');
  const whole = wholeChoice ? byId.get(wholeChoice) : undefined;
  const values: CustomFieldValues = {};
  if (whole && whole !== survivor) valuesFrom.customFields = whole.id;
  const note = (key: string, from: CustomerEntity) => {
    if (from !== survivor && from !== whole) valuesFrom[`${CUSTOM_FIELD_CHOICE_PREFIX}${key}`] = from.id;
  };
  for (const customer of whole ? [whole] : customers) {
    for (const [key, value] of Object.entries(customer.customFields)) {
      if (key in values || value === null || value === undefined || value === '') continue;
      values[key] = value;
      note(key, customer);
    }
  }
  for (const [field, customerId] of choices) {
    if (!field.startsWith(CUSTOM_FIELD_CHOICE_PREFIX)) continue;
    const key = field.slice(CUSTOM_FIELD_CHOICE_PREFIX.length);
    const chosen = byId.get(customerId);
    if (!chosen) continue;
    const value = chosen.customFields[key];
    if (value === undefined) delete values[key];
    else {
      values[key] = value;
      note(key, chosen);
    }
  }
  return values;
}

const LIST_LIMITS: ReadonlyArray<[keyof ResolvedWrite & ('phones' | 'emails' | 'wechatIds' | 'addresses' | 'tags'), number]> = [
  ['phones', LIMITS.contacts],
  ['emails', LIMITS.contacts],
  ['wechatIds', LIMITS.contacts],
  ['addresses', LIMITS.addresses],
  ['tags', LIMITS.tags],
];

function overLimits(write: ResolvedWrite): FieldProblem[] {
  return LIST_LIMITS.flatMap(([field, limit]) => {
    const count = write[field]?.length ?? 0;
    if (count <= limit) return [];
    const message = `Together the customers have ${count} ${field}, more than the ${limit} a customer may have; choose one customer's with fieldChoices.${field}`;
    return [{ field, code: 'too_many', message }];
  });
}
