import { create } from '@bufbuild/protobuf';
import { CustomerSchema, type Customer } from '@crm/contracts';
import { CONSENT_CHANNELS, type Consent } from './customer-fields';
import type { CustomerEntity } from './customer.entity';
import type { ConsentDto, CustomerDto } from './dto/customer.dto';

/** Unmasked values for a caller who may see them and asked to; absent means masked. */
export interface RevealedPii {
  nationalId: string | null;
  bankAccount: string | null;
}

/** What callers see of a customer: national ID and bank account masked unless `revealed` is given. */
export function toCustomerDto(customer: CustomerEntity, revealed?: RevealedPii): CustomerDto {
  return {
    id: customer.id,
    type: customer.type,
    name: customer.name,
    nameEn: customer.nameEn,
    phones: [...customer.phones],
    emails: [...customer.emails],
    wechatIds: [...customer.wechatIds],
    addresses: customer.addresses.map((address) => ({ ...address })),
    industry: customer.industry,
    region: customer.region,
    source: customer.source,
    ownerId: customer.ownerId,
    lifecycleStage: customer.lifecycleStage,
    valueTier: customer.valueTier,
    keyAccount: customer.keyAccount,
    tags: [...customer.tags],
    consent: toConsentDto(customer.consent),
    customFields: { ...customer.customFields },
    externalId: customer.externalId,
    nationalId: revealed ? revealed.nationalId : customer.nationalIdMasked,
    bankAccount: revealed ? revealed.bankAccount : customer.bankAccountMasked,
    piiRevealed: revealed !== undefined,
    version: customer.version,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
    erasedAt: customer.erasedAt ? customer.erasedAt.toISOString() : null,
  };
}

function toConsentDto(consent: Consent): ConsentDto {
  return Object.fromEntries(CONSENT_CHANNELS.map((channel) => [channel, { status: consent[channel]?.status ?? 'unknown', at: consent[channel]?.at ?? null }])) as unknown as ConsentDto;
}

/**
 * The customer as events carry it: everything but the national ID and bank account, of which only
 * their presence is told.
 */
export function toCustomerSnapshot(customer: CustomerEntity): Customer {
  return create(CustomerSchema, {
    type: customer.type,
    name: customer.name,
    nameEn: customer.nameEn ?? '',
    phones: [...customer.phones],
    emails: [...customer.emails],
    wechatIds: [...customer.wechatIds],
    addresses: customer.addresses.map((address) => ({
      label: address.label ?? '',
      country: address.country ?? '',
      province: address.province ?? '',
      city: address.city ?? '',
      district: address.district ?? '',
      street: address.street ?? '',
      postalCode: address.postalCode ?? '',
    })),
    industry: customer.industry ?? '',
    region: customer.region ?? '',
    source: customer.source ?? '',
    ownerId: customer.ownerId ?? '',
    lifecycleStage: customer.lifecycleStage,
    valueTier: customer.valueTier ?? '',
    keyAccount: customer.keyAccount,
    tags: [...customer.tags],
    consent: Object.fromEntries(CONSENT_CHANNELS.map((channel) => [channel, { status: customer.consent[channel]?.status ?? 'unknown', at: customer.consent[channel]?.at ?? '' }])),
    customFields: { ...customer.customFields },
    externalId: customer.externalId ?? '',
    hasNationalId: customer.nationalIdEncrypted !== null,
    hasBankAccount: customer.bankAccountEncrypted !== null,
  });
}
