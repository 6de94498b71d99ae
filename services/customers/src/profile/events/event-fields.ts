import { isUuid } from '@crm/platform/api';
import { PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';

/*
 * Checks of the fields of consumed events. A value that breaks its contract can never be applied, so
 * it is a poison message (dead-lettered with the reason) rather than an error to retry.
 */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The payload's tenant must be the envelope's: a mismatch is a producer bug or a forgery. */
export function assertSameTenant(event: ReceivedEvent<{ tenantId: string }>): string {
  if (event.data.tenantId !== event.tenantId) throw new PoisonMessageError(`${event.type} for tenant ${event.data.tenantId} arrived as tenant ${event.tenantId}`);
  return event.tenantId;
}

export function requiredUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new PoisonMessageError(`${field} ${JSON.stringify(value)} is not a uuid`);
  return value.toLowerCase();
}

/** Empty means absent; anything else must be a uuid. */
export function optionalUuid(value: string, field: string): string | null {
  return value === '' ? null : requiredUuid(value, field);
}

export function requiredTime(value: string, field: string): Date {
  const time = ISO_TIME.test(value) ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new PoisonMessageError(`${field} ${JSON.stringify(value)} is not an ISO 8601 time`);
  return time;
}

/** YYYY-MM-DD, or null when empty. */
export function optionalDate(value: string, field: string): string | null {
  if (value === '') return null;
  if (!ISO_DATE.test(value) || Number.isNaN(new Date(`${value}T00:00:00Z`).getTime())) throw new PoisonMessageError(`${field} ${JSON.stringify(value)} is not an ISO 8601 date`);
  return value;
}

export function currencyCode(value: string, field: string): string {
  if (!CURRENCY.test(value)) throw new PoisonMessageError(`${field} ${JSON.stringify(value)} is not an ISO 4217 currency code`);
  return value;
}

export function nonNegative(value: bigint, field: string): bigint {
  if (value < 0n) throw new PoisonMessageError(`${field} must not be negative, got ${value}`);
  return value;
}

export function positiveVersion(value: bigint, field = 'version'): bigint {
  if (value < 1n) throw new PoisonMessageError(`${field} must be 1 or more, got ${value}`);
  return value;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new PoisonMessageError(`${field} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  return value as T;
}

export function integerBetween(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new PoisonMessageError(`${field} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

/** Money as the API shows it: integer micros as text (they may pass 2^53) and the currency. */
export function money(amountMicros: bigint, currency: string): { amountMicros: string; currency: string } {
  return { amountMicros: amountMicros.toString(), currency };
}

/** `1280.00 CNY`: rounded to cents, for titles (the exact micros are in the entry's data). */
export function formatMoney(amountMicros: bigint, currency: string): string {
  const negative = amountMicros < 0n;
  const cents = ((negative ? -amountMicros : amountMicros) + 5_000n) / 10_000n;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}${text} ${currency}`;
}

/** Text for a title: trimmed, and cut with an ellipsis when long. */
export function clip(text: string, max = 120): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
