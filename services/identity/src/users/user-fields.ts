/** Rules for the user's profile fields, shared by the DTOs (validation) and the service (normalisation). */

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const SENIORITY_LEVELS = ['junior', 'intermediate', 'senior', 'lead'] as const;
export type Seniority = (typeof SENIORITY_LEVELS)[number];

/** E.164 allows up to 15 digits; fewer than 7 is no reachable number anywhere. */
const E164 = /^\+[1-9]\d{6,14}$/;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const PHONE_SEPARATORS = /[\s\-().]/g;

/**
 * A phone number in E.164 (`+8613812345678`), or undefined when it is not one. A mainland mobile number
 * may be given without the country code (`138 1234 5678`), as people in China usually write it; a
 * mobile number after +86 must be complete (11 digits).
 */
export function normalizePhone(input: string): string | undefined {
  const compact = input.replace(PHONE_SEPARATORS, '');
  if (MAINLAND_MOBILE.test(compact)) return `+86${compact}`;
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!E164.test(international)) return undefined;
  // +86 1[3-9]… is a mobile number and has exactly 11 digits; +86 10… is a Beijing landline.
  if (/^\+861[3-9]/.test(international) && !MAINLAND_MOBILE.test(international.slice(3))) return undefined;
  return international;
}

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
let knownZones: ReadonlySet<string> | undefined;

/** Whether the runtime knows `zone` as an IANA time zone name (`Asia/Shanghai`, `UTC`); offsets are refused. */
export function isTimeZone(zone: string): boolean {
  if (!IANA_NAME.test(zone)) return false;
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (knownZones.has(zone)) return true;
  // Links such as Asia/Chongqing are valid names that resolve to a canonical zone.
  try {
    return knownZones.has(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

/** Sign-in compares addresses without case or surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
