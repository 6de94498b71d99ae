import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipScope, Principal } from '@crm/platform/auth';
import type { CustomFieldRule } from '../custom-fields/custom-field-validation';
import { applyCustomFields } from '../custom-fields/custom-field-validation';
import { maskIdentifier } from '../pii/masking';
import { normaliseBankAccount, normaliseNationalId } from '../pii/identifiers';
import { PiiCipher } from '../pii/pii-cipher';
import { CustomerErasedError } from '../privacy/privacy.errors';
import { DataMinimisation } from '../settings/data-minimisation';
import { normaliseText, standardiseCustomer, type FieldProblem } from '../standardisation';
import { UsersRepository } from '../users/users.repository';
import {
  CONSENT_CHANNELS,
  DEFAULT_LIFECYCLE_STAGE,
  unknownConsent,
  type Address,
  type Consent,
  type CustomerType,
  type CustomFieldValues,
  type LifecycleStage,
  type ValueTier,
} from './customer-fields';
import { WRITE_PROBLEMS } from './customer.errors';
import type { CustomerEntity } from './customer.entity';
import type { AddressDto, ConsentInputDto, CustomerFieldsDto } from './dto/customer-input.dto';

/** A write as the DTOs let it through: the shared fields plus type and name, all optional here. */
export type CustomerWrite = CustomerFieldsDto & { type?: CustomerType; name?: string };

/** Who writes, and what every value is checked against. */
export interface WriteContext {
  caller: Principal;
  scope: OwnershipScope;
  rules: readonly CustomFieldRule[];
  now: Date;
}

interface EncryptedValue {
  encrypted: Buffer;
  masked: string;
}

/** The canonical value of every field the write gives; absent fields are left as they are. */
export interface ResolvedWrite {
  type?: CustomerType;
  name?: string;
  nameEn?: string | null;
  phones?: string[];
  emails?: string[];
  wechatIds?: string[];
  addresses?: Address[];
  industry?: string | null;
  region?: string | null;
  source?: string | null;
  ownerId?: string | null;
  lifecycleStage?: LifecycleStage;
  valueTier?: ValueTier | null;
  keyAccount?: boolean;
  tags?: string[];
  consent?: Consent;
  customFields?: CustomFieldValues;
  externalId?: string | null;
  nationalId?: EncryptedValue | null;
  bankAccount?: EncryptedValue | null;
}

/** What applying a write changed, for the version, the events and the batch result. */
export interface AppliedChanges {
  /** REST names of changed fields other than ownerId and tags (CustomerUpdated). */
  fields: string[];
  owner?: { from: string | null; to: string | null };
  tags?: { added: string[]; removed: string[] };
}

export function hasChanges(changes: AppliedChanges): boolean {
  return changes.fields.length > 0 || changes.owner !== undefined || changes.tags !== undefined;
}

const TEXT_FIELDS = ['nameEn', 'industry', 'region', 'source'] as const;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * Turns a customer write (single create, PATCH, batch item) into canonical values and per-field
 * problems, the same way on every path: standardisation of names, contacts and tags, ID numbers checked
 * and encrypted, custom fields against the tenant's definitions, the owner against the users read
 * model and the caller's scope. Then applies them to a customer row.
 */
@Injectable()
export class CustomerWriter {
  constructor(
    private readonly cipher: PiiCipher,
    private readonly users: UsersRepository,
    private readonly minimisation: DataMinimisation,
  ) {}

  /**
   * Canonical values and problems of `input` for the customer `target` (its id and tenant bind the
   * encrypted values); `existing` is the customer being changed, absent when creating.
   */
  async resolve(
    manager: EntityManager,
    input: CustomerWrite,
    context: WriteContext,
    target: { id: string; tenantId: string },
    existing?: CustomerEntity,
  ): Promise<{ resolved: ResolvedWrite; problems: FieldProblem[] }> {
    const { value, problems } = standardiseCustomer({ ...input } as Record<string, unknown>);
    // Fields the tenant chose not to collect (data minimisation), refused per field like any invalid value.
    problems.push(...(await this.minimisation.problems(manager, input)));
    const given = (field: string) => value[field] !== undefined;
    const resolved: ResolvedWrite = {};

    if (!existing) {
      for (const field of ['type', 'name'] as const) {
        if (!given(field) && !problems.some((problem) => problem.field === field)) {
          problems.push({ field, code: WRITE_PROBLEMS.required, message: `${field} is required to create a customer` });
        }
      }
    }
    if (given('type')) resolved.type = value.type as CustomerType;
    if (given('name')) resolved.name = value.name as string;
    for (const field of TEXT_FIELDS) {
      if (given(field)) resolved[field] = (value[field] as string | null) || null;
    }
    for (const field of ['phones', 'emails', 'wechatIds', 'tags'] as const) {
      if (given(field)) resolved[field] = value[field] as string[];
    }
    if (input.addresses !== undefined) resolved.addresses = normaliseAddresses(input.addresses, problems);
    if (input.lifecycleStage !== undefined) resolved.lifecycleStage = input.lifecycleStage;
    if (input.valueTier !== undefined) resolved.valueTier = input.valueTier;
    if (input.keyAccount !== undefined) resolved.keyAccount = input.keyAccount;
    if (input.consent !== undefined) resolved.consent = mergeConsent(existing?.consent ?? unknownConsent(), input.consent, context.now);
    if (input.externalId !== undefined) resolved.externalId = input.externalId === null ? null : normaliseText(input.externalId) || null;

    // Required custom fields are checked on every create, and on updates that touch custom fields.
    if (input.customFields !== undefined || !existing) {
      const result = applyCustomFields(input.customFields ?? {}, context.rules, existing?.customFields ?? {});
      problems.push(...result.problems);
      resolved.customFields = result.value;
    }

    const type = resolved.type ?? existing?.type ?? 'person';
    if (input.nationalId !== undefined) resolved.nationalId = this.protect(input.nationalId, (raw) => normaliseNationalId(raw, type), 'nationalId', target, problems);
    if (input.bankAccount !== undefined) resolved.bankAccount = this.protect(input.bankAccount, normaliseBankAccount, 'bankAccount', target, problems);

    if (!existing && input.ownerId === undefined) resolved.ownerId = context.caller.userId;
    else if (input.ownerId !== undefined && input.ownerId !== existing?.ownerId) {
      const problem = await this.ownerProblem(manager, input.ownerId, context);
      if (problem) problems.push(problem);
      else resolved.ownerId = input.ownerId;
    }
    return { resolved, problems };
  }

  /** A new, unsaved customer row made of a resolved create. */
  newCustomer(target: { id: string; tenantId: string }, resolved: ResolvedWrite, context: WriteContext): CustomerEntity {
    const customer: CustomerEntity = {
      id: target.id,
      tenantId: target.tenantId,
      type: resolved.type ?? 'person',
      name: resolved.name ?? '',
      nameEn: null,
      phones: [],
      emails: [],
      wechatIds: [],
      addresses: [],
      industry: null,
      region: null,
      source: null,
      ownerId: null,
      lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
      valueTier: null,
      keyAccount: false,
      tags: [],
      consent: unknownConsent(),
      customFields: {},
      externalId: null,
      nationalIdEncrypted: null,
      nationalIdMasked: null,
      bankAccountEncrypted: null,
      bankAccountMasked: null,
      createdBy: context.caller.userId,
      version: 1,
      createdAt: context.now,
      updatedAt: context.now,
      deletedAt: null,
    };
    this.apply(customer, resolved);
    return customer;
  }

  /**
   * Applies resolved values that differ from the row's. Does not touch version and updatedAt (the
   * caller bumps them when anything changed) nor the search index.
   */
  apply(customer: CustomerEntity, resolved: ResolvedWrite): AppliedChanges {
    if (customer.erasedAt) throw new CustomerErasedError(customer.id);
    const changes: AppliedChanges = { fields: [] };
    const set = <K extends keyof CustomerEntity>(field: string, key: K, value: CustomerEntity[K] | undefined) => {
      if (value === undefined || same(customer[key], value)) return;
      customer[key] = value;
      changes.fields.push(field);
    };
    set('type', 'type', resolved.type);
    set('name', 'name', resolved.name);
    set('nameEn', 'nameEn', resolved.nameEn);
    set('phones', 'phones', resolved.phones);
    set('emails', 'emails', resolved.emails);
    set('wechatIds', 'wechatIds', resolved.wechatIds);
    set('addresses', 'addresses', resolved.addresses);
    set('industry', 'industry', resolved.industry);
    set('region', 'region', resolved.region);
    set('source', 'source', resolved.source);
    set('lifecycleStage', 'lifecycleStage', resolved.lifecycleStage);
    set('valueTier', 'valueTier', resolved.valueTier);
    set('keyAccount', 'keyAccount', resolved.keyAccount);
    set('consent', 'consent', resolved.consent);
    set('customFields', 'customFields', resolved.customFields);
    set('externalId', 'externalId', resolved.externalId);
    // Ciphertexts differ on every encryption: compare what the caller gave, through the masked form and a decrypt.
    if (resolved.nationalId !== undefined && !this.sameSecret(customer, 'nationalId', resolved.nationalId)) {
      customer.nationalIdEncrypted = resolved.nationalId?.encrypted ?? null;
      customer.nationalIdMasked = resolved.nationalId?.masked ?? null;
      changes.fields.push('nationalId');
    }
    if (resolved.bankAccount !== undefined && !this.sameSecret(customer, 'bankAccount', resolved.bankAccount)) {
      customer.bankAccountEncrypted = resolved.bankAccount?.encrypted ?? null;
      customer.bankAccountMasked = resolved.bankAccount?.masked ?? null;
      changes.fields.push('bankAccount');
    }
    if (resolved.ownerId !== undefined && resolved.ownerId !== customer.ownerId) {
      changes.owner = { from: customer.ownerId, to: resolved.ownerId };
      customer.ownerId = resolved.ownerId;
      // Only a deactivation leaves a customer in the pool "from" someone (OwnerReassignment); once anyone
      // gives it an owner (or takes it away), a later handover of that user no longer concerns it.
      customer.pooledFromUserId = null;
    }
    if (resolved.tags !== undefined) {
      const tags = diffTags(customer.tags, resolved.tags);
      if (tags) {
        changes.tags = tags;
        customer.tags = [...resolved.tags];
      }
    }
    return changes;
  }

  /** Adds and removes tags (standardised like every tag); what changed, if anything. */
  changeTags(customer: CustomerEntity, add: readonly string[], remove: readonly string[]): { changes: AppliedChanges; problems: FieldProblem[] } {
    const added = standardiseCustomer({ tags: [...add] });
    const removed = standardiseCustomer({ tags: [...remove] });
    const problems = [
      ...added.problems.map((problem) => ({ ...problem, field: problem.field.replace(/^tags/, 'add') })),
      ...removed.problems.map((problem) => ({ ...problem, field: problem.field.replace(/^tags/, 'remove') })),
    ];
    if (problems.length > 0) return { changes: { fields: [] }, problems };
    const removing = new Set((removed.value.tags ?? []).map((tag) => tag.toLowerCase()));
    const kept = customer.tags.filter((tag) => !removing.has(tag.toLowerCase()));
    const next = standardiseCustomer({ tags: [...kept, ...(added.value.tags ?? [])] }).value.tags ?? kept;
    return { changes: this.apply(customer, { tags: next }), problems: [] };
  }

  /** Decrypts a customer's national ID and bank account for a caller allowed to see them. */
  reveal(customer: CustomerEntity): { nationalId: string | null; bankAccount: string | null } {
    const binding = { tenantId: customer.tenantId, customerId: customer.id };
    return {
      nationalId: customer.nationalIdEncrypted ? this.cipher.decrypt(customer.nationalIdEncrypted, { ...binding, field: 'nationalId' }) : null,
      bankAccount: customer.bankAccountEncrypted ? this.cipher.decrypt(customer.bankAccountEncrypted, { ...binding, field: 'bankAccount' }) : null,
    };
  }

  private protect(
    raw: string | null,
    normalise: (raw: string) => { ok: true; value: string } | { ok: false; code: string; message: string },
    field: 'nationalId' | 'bankAccount',
    target: { id: string; tenantId: string },
    problems: FieldProblem[],
  ): EncryptedValue | null | undefined {
    if (raw === null || normaliseText(raw) === '') return null;
    const result = normalise(raw);
    if (!result.ok) {
      problems.push({ field, code: result.code, message: result.message });
      return undefined;
    }
    return {
      encrypted: this.cipher.encrypt(result.value, { tenantId: target.tenantId, customerId: target.id, field }),
      masked: maskIdentifier(result.value),
    };
  }

  private sameSecret(customer: CustomerEntity, field: 'nationalId' | 'bankAccount', next: EncryptedValue | null): boolean {
    const current = field === 'nationalId' ? customer.nationalIdEncrypted : customer.bankAccountEncrypted;
    if (current === null || next === null) return current === next;
    const masked = field === 'nationalId' ? customer.nationalIdMasked : customer.bankAccountMasked;
    if (masked !== next.masked) return false;
    const binding = { tenantId: customer.tenantId, customerId: customer.id, field };
    return this.cipher.decrypt(current, binding) === this.cipher.decrypt(next.encrypted, binding);
  }

  /**
   * Whether the caller may give customers to `ownerId`: themselves always; an admin anyone (a user the
   * read model does not know yet included) or nobody; a manager a member of their teams; others only
   * themselves. A user the read model knows as deactivated owns nothing new.
   */
  private async ownerProblem(manager: EntityManager, ownerId: string | null, { caller, scope }: WriteContext): Promise<FieldProblem | undefined> {
    const refuse = (message: string): FieldProblem => ({ field: 'ownerId', code: WRITE_PROBLEMS.ownerNotAssignable, message });
    if (ownerId === null) return scope.kind === 'tenant' ? undefined : refuse('Only an admin may leave a customer without an owner');
    if (ownerId === caller.userId) return undefined;
    const user = await this.users.findById(manager, ownerId);
    if (user && !user.active) return { field: 'ownerId', code: WRITE_PROBLEMS.ownerInactive, message: `User ${ownerId} is deactivated and cannot own customers` };
    switch (scope.kind) {
      case 'tenant':
        return undefined;
      case 'team':
        return user?.teamIds.some((teamId) => scope.teamIds.includes(teamId)) ? undefined : refuse('A manager may give customers only to members of their teams');
      case 'own':
        return refuse('You may only own customers yourself; ask your manager to give a customer to someone else');
    }
  }
}

/** Deep equality of column values; jsonb hands objects back with its own key order, so keys are sorted. */
export function same(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function diffTags(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } | undefined {
  const added = after.filter((tag) => !before.includes(tag));
  const removed = before.filter((tag) => !after.includes(tag));
  return added.length > 0 || removed.length > 0 ? { added, removed } : undefined;
}

function mergeConsent(current: Consent, changes: ConsentInputDto, now: Date): Consent {
  const merged = { ...unknownConsent(), ...current };
  for (const channel of CONSENT_CHANNELS) {
    const change = changes[channel];
    if (!change) continue;
    if (change.status === merged[channel].status && change.at === undefined) continue;
    merged[channel] = { status: change.status, at: change.status === 'unknown' ? null : new Date(change.at ?? now).toISOString() };
  }
  return merged;
}

const ADDRESS_PARTS = ['label', 'country', 'province', 'city', 'district', 'street', 'postalCode'] as const;

/** Address parts folded like any text; empty parts left out, empty addresses dropped. */
function normaliseAddresses(addresses: readonly AddressDto[], problems: FieldProblem[]): Address[] {
  const out: Address[] = [];
  addresses.forEach((address, index) => {
    const clean: Address = {};
    for (const part of ADDRESS_PARTS) {
      const text = typeof address[part] === 'string' ? normaliseText(address[part]) : '';
      if (text !== '') clean[part] = part === 'country' ? text.toUpperCase() : text;
    }
    if (clean.country !== undefined && !COUNTRY.test(clean.country)) {
      problems.push({ field: `addresses[${index}].country`, code: WRITE_PROBLEMS.invalidValue, message: 'country must be an ISO 3166-1 alpha-2 code such as CN' });
    }
    if (Object.keys(clean).length > 0) out.push(clean);
  });
  return out;
}
