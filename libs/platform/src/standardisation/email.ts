/**
 * E-mail addresses: folded, lower-cased and checked for syntax only (no DNS, this module does no I/O).
 * Internationalised addresses (RFC 6531, e.g. `张三@例子.中国`) are accepted; quoted local parts, comments and
 * IP-literal domains are not, as no real customer address in our data uses them.
 */
import { PROBLEM_CODES, type Normalised } from './types';
import { normaliseText, quoteValue } from './text';

/** RFC 5321: 254 characters for the whole path, 64 for the local part. */
const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
/** Folding removes at most invisible characters and spaces; far longer input is rejected before any work. */
const MAX_INPUT_LENGTH = 4 * MAX_LENGTH;

/** Chinese IMEs type the ideographic full stop for a dot (`qq。com`); IDNA (UTS #46) maps it to `.` too. */
const IDEOGRAPHIC_FULL_STOPS = /[\u3002\uff61]/g;
const MAILTO_PREFIX = /^mailto:\s*/i;
const WHITESPACE = /\s/;

/** Dot-atom: atext runs separated by single dots (RFC 5322), letters of any script allowed (RFC 6531). */
const LOCAL_PART = /^[\p{L}\p{M}\p{Nd}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{Nd}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/**
 * Host name labels of 1–63 letters, digits and inner hyphens; at least two labels; the top-level label
 * starts with a letter and has at least two characters (rules out `a@b`, `a@b.c`, `a@1.2.3.4`).
 */
const DOMAIN =
  /^(?:[\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}-]{0,61}[\p{L}\p{M}\p{Nd}])?\.)+\p{L}(?:[\p{L}\p{M}\p{Nd}-]{0,61}[\p{L}\p{M}\p{Nd}])$/u;

function invalidEmail(raw: unknown, reason: string): Normalised<string> {
  return { ok: false, code: PROBLEM_CODES.invalidEmail, message: `${quoteValue(raw)} is not a valid email address: ${reason}` };
}

/** `  Ｚhang＠Example．com ` → `zhang@example.com`; `mailto:` dropped; malformed addresses are `invalid_email`. */
export function normaliseEmail(raw: string): Normalised<string> {
  if (typeof raw !== 'string') return invalidEmail(raw, 'it must be a string');
  if (raw.length > MAX_INPUT_LENGTH) return invalidEmail(raw, `longer than ${MAX_LENGTH} characters`);
  const email = normaliseText(raw).replace(IDEOGRAPHIC_FULL_STOPS, '.').replace(MAILTO_PREFIX, '').toLowerCase();
  if (email === '') return invalidEmail(raw, 'empty');
  if (email.length > MAX_LENGTH) return invalidEmail(raw, `longer than ${MAX_LENGTH} characters`);
  if (WHITESPACE.test(email)) return invalidEmail(raw, 'contains spaces');
  const at = email.lastIndexOf('@');
  if (at < 0) return invalidEmail(raw, 'missing @');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.includes('@')) return invalidEmail(raw, 'more than one @');
  if (local.length === 0 || local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local)) return invalidEmail(raw, 'bad name before @');
  if (!DOMAIN.test(domain)) return invalidEmail(raw, 'bad domain');
  return { ok: true, value: email };
}
