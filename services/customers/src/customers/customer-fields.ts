/** The closed vocabularies of a customer record, shared by DTOs, entity, mapper and events. */
export const CUSTOMER_TYPES = ['person', 'company'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** 潜在 prospect → 新客户 new → 活跃 active → 沉睡 dormant → 流失 churned. */
export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const DEFAULT_LIFECYCLE_STAGE: LifecycleStage = 'prospect';

export const VALUE_TIERS = ['A', 'B', 'C'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export const CONSENT_CHANNELS = ['email', 'sms', 'wechat', 'phone'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['granted', 'denied', 'unknown'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface ChannelConsent {
  status: ConsentStatus;
  /** ISO 8601 UTC; null when unknown. */
  at: string | null;
}
export type Consent = Record<ConsentChannel, ChannelConsent>;

export interface Address {
  label?: string;
  country?: string;
  province?: string;
  city?: string;
  district?: string;
  street?: string;
  postalCode?: string;
}

export type CustomFieldValues = Record<string, string | number>;

/** Limits of a record; the DTOs enforce them, batch items included. */
export const LIMITS = {
  name: 200,
  text: 200,
  externalId: 128,
  contacts: 20,
  addresses: 10,
  addressPart: 300,
  tags: 100,
  tag: 50,
  identifier: 64,
} as const;

export function unknownConsent(): Consent {
  return { email: { status: 'unknown', at: null }, sms: { status: 'unknown', at: null }, wechat: { status: 'unknown', at: null }, phone: { status: 'unknown', at: null } };
}
