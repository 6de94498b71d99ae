/**
 * Phone numbers to E.164 with libphonenumber-js and its "max" metadata, which carries the per-type patterns
 * (mobile, fixed line, shared cost, ...) needed to tell a real mainland number from a merely plausible one.
 *
 * Parsing a number through the library costs ~13 µs (it rebuilds its metadata wrapper and regular
 * expressions on every call), too slow for million-row imports. Mainland numbers, nearly all of our data,
 * therefore take a fast path: the same validity rule the library applies (national pattern, then any
 * number type whose lengths and pattern match), with the patterns read once from the same metadata and
 * compiled once. Everything else, and anything the fast path does not accept, goes to the library, which
 * stays the final judge of what is invalid.
 */
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';
import { PROBLEM_CODES, type Normalised } from './types';
import { quoteValue } from './text';

const DEFAULT_COUNTRY = 'CN';
const CHINA_CALLING_CODE = '86';
/** China's international call prefix; `0086 138…` is how a mainland number is often written abroad. */
const CHINA_IDD_PREFIX = '00';
/** China's trunk prefix: `010-12345678`, and `0` before a mobile as dialled long-distance from a landline. */
const CHINA_TRUNK_PREFIX = '0';

/** Formatted numbers are ~25 characters; anything much longer is not a phone number and is not scanned. */
const MAX_INPUT_LENGTH = 64;
/** E.164 allows 15 digits; an international prefix (00) adds two. */
const MAX_DIGITS = 17;

/** Already just digits, optionally after a +: skip the character scan. */
const PLAIN_NUMBER = /^\+?[0-9]{1,17}$/;
const TEL_URI_PREFIX = /^\s*tel:/i;

const SUPPORTED_COUNTRIES: ReadonlySet<string> = new Set(Object.keys(metadata.countries));

/** The part of the library's numbering plan object we read; present at runtime but not in its typings. */
interface NumberTypeDefinition {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface TypedNumberingPlan {
  nationalNumberPattern(): string;
  type(name: string): NumberTypeDefinition | undefined;
}

/** The library's own list: fixed line first, then the other types (getNumberType). */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface NumberTypeRule {
  lengths: readonly number[] | undefined;
  pattern: RegExp;
}
interface FastPlan {
  nationalNumber: RegExp;
  types: readonly NumberTypeRule[];
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/**
 * China's validity rules from the max metadata, or undefined if a library upgrade changed the shape we read;
 * then every number takes the (slower, still correct) library path. A unit test guards that this is loaded.
 */
function loadChinaPlan(): FastPlan | undefined {
  try {
    const wrapper = new Metadata(metadata);
    wrapper.selectNumberingPlan(DEFAULT_COUNTRY);
    const plan = wrapper.numberingPlan as unknown as TypedNumberingPlan | undefined;
    if (!plan || typeof plan.type !== 'function' || typeof plan.nationalNumberPattern !== 'function') return undefined;
    const types: NumberTypeRule[] = [];
    for (const name of NUMBER_TYPES) {
      const definition = plan.type(name);
      const pattern = definition?.pattern();
      if (definition && pattern) types.push({ lengths: definition.possibleLengths(), pattern: anchored(pattern) });
    }
    return types.length > 0 ? { nationalNumber: anchored(plan.nationalNumberPattern()), types } : undefined;
  } catch {
    return undefined;
  }
}

const CHINA = loadChinaPlan();

/** True when the mainland fast path is active (it is unless a library upgrade changed the metadata API). */
export function hasChinaFastPath(): boolean {
  return CHINA !== undefined;
}

function isValidChinaNationalNumber(plan: FastPlan, nationalNumber: string): boolean {
  if (!plan.nationalNumber.test(nationalNumber)) return false;
  for (const rule of plan.types) {
    if (rule.lengths && !rule.lengths.includes(nationalNumber.length)) continue;
    if (rule.pattern.test(nationalNumber)) return true;
  }
  return false;
}

/** +86 and the national number, when that is a valid mainland number. */
function chinaE164(plan: FastPlan, nationalNumber: string): string | undefined {
  return isValidChinaNationalNumber(plan, nationalNumber) ? `+${CHINA_CALLING_CODE}${nationalNumber}` : undefined;
}

/** After the country code some people keep the trunk 0: `+86 (0)10 1234 5678`, `0086 010 …`. */
function chinaAfterCallingCode(plan: FastPlan, rest: string): string | undefined {
  return chinaE164(plan, rest) ?? (rest.startsWith(CHINA_TRUNK_PREFIX) ? chinaE164(plan, rest.slice(1)) : undefined);
}

/**
 * The mainland fast path: a result only when it is a valid mainland number; undefined sends the number to
 * the library (other countries, unusual prefixes such as carrier-selection codes, and invalid input).
 */
function fastChinaE164(plan: FastPlan, international: boolean, digits: string, defaultIsChina: boolean): string | undefined {
  if (international) return digits.startsWith(CHINA_CALLING_CODE) ? chinaAfterCallingCode(plan, digits.slice(2)) : undefined;
  if (!defaultIsChina) return undefined;
  if (digits.startsWith(CHINA_IDD_PREFIX)) {
    return digits.startsWith(CHINA_CALLING_CODE, 2) ? chinaAfterCallingCode(plan, digits.slice(4)) : undefined;
  }
  if (digits.startsWith(CHINA_TRUNK_PREFIX)) return chinaE164(plan, digits.slice(1));
  // `8613800138000`: the country code without its +. A national number is tried first, as the library does.
  return chinaE164(plan, digits) ?? (digits.startsWith(CHINA_CALLING_CODE) ? chinaAfterCallingCode(plan, digits.slice(2)) : undefined);
}

function libraryE164(number: string, country: CountryCode | undefined): string | undefined {
  try {
    const parsed = parsePhoneNumberFromString(number, country ? { defaultCountry: country } : {}, metadata);
    return parsed && !parsed.ext && parsed.isValid() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isFullWidthDigit(code: number): boolean {
  return code >= 0xff10 && code <= 0xff19;
}

/**
 * Characters people put between digit groups, in ASCII and full-width: spaces (incl. NBSP and the
 * ideographic space), hyphens and dashes, dots, brackets, slash, and zero-width characters from copy-paste.
 */
function isSeparator(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x28 || // (
    code === 0x29 || // )
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x2f || // /
    code === 0xa0 ||
    (code >= 0x2000 && code <= 0x2015) || // spaces, zero-width characters, hyphens and dashes
    code === 0x202f ||
    code === 0x205f ||
    code === 0x2060 ||
    code === 0x2212 || // minus sign
    code === 0x3000 ||
    code === 0xfeff ||
    code === 0xff08 || // （
    code === 0xff09 || // ）
    code === 0xff0d || // －
    code === 0xff0e || // ．
    code === 0xff0f // ／
  );
}

/**
 * `+` and digits only (full-width digits folded, separators dropped), or undefined when the input holds
 * anything else. Rejecting letters, `#`, `*`, `,`, `ext`, `转` here is what turns extensions, vanity numbers
 * and two numbers in one field into problems instead of silently keeping part of them.
 */
function digitsOf(raw: string): string | undefined {
  if (PLAIN_NUMBER.test(raw)) return raw;
  const telPrefix = TEL_URI_PREFIX.exec(raw);
  let out = '';
  for (let i = telPrefix ? telPrefix[0].length : 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (isDigit(code)) out += raw[i];
    else if (isFullWidthDigit(code)) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x2b || code === 0xff0b) {
      // A plus is only meaningful in front of the number: `(+86)138…` yes, `138+…` no.
      if (out !== '') return undefined;
      out = '+';
    } else if (!isSeparator(code)) return undefined;
  }
  return out;
}

function countryOf(defaultCountry: string | undefined): CountryCode | undefined {
  if (defaultCountry === undefined || defaultCountry === DEFAULT_COUNTRY) return DEFAULT_COUNTRY;
  if (typeof defaultCountry !== 'string') return undefined;
  const upper = defaultCountry.toUpperCase();
  // An unknown default country is ignored: numbers written with + still parse, national ones are invalid.
  return SUPPORTED_COUNTRIES.has(upper) ? (upper as CountryCode) : undefined;
}

function invalidPhone(raw: unknown, reason: string): Normalised<string> {
  return { ok: false, code: PROBLEM_CODES.invalidPhone, message: `${quoteValue(raw)} is not a valid phone number: ${reason}` };
}

/**
 * Any way people write a phone number → E.164 (`+8613800138000`). Without a `+`, the number is read as
 * national to `defaultCountry` (CN): `13800138000`, `010-12345678`, `8613800138000`, `0086 138 0013 8000`,
 * `０１３８００１３８０００` (trunk 0 before a mobile) all work. Extensions, letters, wrong lengths and numbers
 * the metadata does not know are `invalid_phone`.
 */
export function normalisePhone(raw: string, defaultCountry?: 'CN' | string): Normalised<string> {
  if (typeof raw !== 'string') return invalidPhone(raw, 'it must be a string');
  // A CSV cell may pad a number with many spaces; only the trimmed text has to be short.
  const text = raw.length > MAX_INPUT_LENGTH ? raw.trim() : raw;
  if (text.length > MAX_INPUT_LENGTH) return invalidPhone(raw, 'too long');
  const cleaned = digitsOf(text);
  if (cleaned === undefined) return invalidPhone(raw, 'only digits, spaces and + - ( ) . / are allowed (no letters or extensions)');
  const international = cleaned.startsWith('+');
  const digits = international ? cleaned.slice(1) : cleaned;
  if (digits.length === 0) return invalidPhone(raw, 'no digits');
  if (digits.length > MAX_DIGITS) return invalidPhone(raw, 'too many digits');
  const country = countryOf(defaultCountry);
  const e164 = (CHINA && fastChinaE164(CHINA, international, digits, country === DEFAULT_COUNTRY)) || libraryE164(cleaned, country);
  return e164 ? { ok: true, value: e164 } : invalidPhone(raw, 'not a number in use for its country, or wrong length');
}

/**
 * Digits only (full-width folded), for partial-number search: `0013` finds `13800138000`, and
 * `138-0013` finds it too once both sides are keyed this way.
 */
export function phoneSearchKey(raw: string): string {
  if (typeof raw !== 'string') return '';
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (isDigit(code)) out += raw[i];
    else if (isFullWidthDigit(code)) out += String.fromCharCode(code - 0xfee0);
  }
  return out;
}
