import { nameSearchKey, normalisePhone, phoneSearchKey } from '../standardisation';

/** The search columns of a customer, derived from its standardised fields on every write. */
export interface SearchColumns {
  nameSearch: string;
  nameBigrams: string[];
  phoneSearch: string;
  emailSearch: string;
}

export function searchColumns(customer: { name: string; nameEn: string | null; phones: readonly string[]; emails: readonly string[] }): SearchColumns {
  const nameSearch = [customer.name, customer.nameEn ?? ''].map(nameSearchKey).filter(Boolean).join(' ');
  return {
    nameSearch,
    nameBigrams: bigramsOf(nameSearch),
    // E.164 digits contain the national number, so `13800138000` and `8613800138000` both match.
    phoneSearch: customer.phones.map(phoneSearchKey).filter(Boolean).join(' '),
    emailSearch: customer.emails.join(' '),
  };
}

/** Every distinct two-character sequence within the words of a search key (code points, not UTF-16 units). */
export function bigramsOf(key: string): string[] {
  const bigrams = new Set<string>();
  for (const word of key.split(' ')) {
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) bigrams.add(chars[i] + chars[i + 1]);
  }
  return [...bigrams];
}

/**
 * How a `q` is searched, each with an index behind it:
 *  - phone: looks like a (part of a) phone number (digits and separators, 3+ digits): digits contained in
 *    `phone_search` (trigram); a complete number is matched in its E.164 form, so `+86 138-0013-8000`
 *    finds `13800138000`. Names containing those digits match too.
 *  - email: contains `@`: contained in `email_search` (trigram).
 *  - name: 3+ characters contained in `name_search` or `email_search` (trigram); 2 characters (张伟,
 *    common for Chinese names) as a bigram of `name_bigrams`; 1 character as a name prefix.
 */
export type SearchPlan =
  | { kind: 'phone'; digits: string; nameKey: string }
  | { kind: 'email'; text: string }
  | { kind: 'name'; key: string; length: number }
  | { kind: 'none' };

const PHONE_LIKE = /^[\s\d+\-().\uff08\uff09\uff0b\uff0d\uff10-\uff19\u3000]+$/;
const MIN_PHONE_DIGITS = 3;

export function planSearch(q: string): SearchPlan {
  const key = nameSearchKey(q);
  if (key === '') return { kind: 'none' };
  if (PHONE_LIKE.test(q)) {
    const digits = phoneSearchKey(q);
    if (digits.length >= MIN_PHONE_DIGITS) {
      const full = normalisePhone(q);
      return { kind: 'phone', digits: full.ok ? phoneSearchKey(full.value) : digits, nameKey: key };
    }
  }
  if (key.includes('@')) return { kind: 'email', text: key.replace(/\s+/g, '') };
  return { kind: 'name', key, length: [...key].length };
}

/** A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
