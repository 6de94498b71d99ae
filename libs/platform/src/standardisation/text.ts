/**
 * Unicode clean-up shared by names, free-text fields and e-mail addresses.
 *
 * Chinese input methods switch easily into full-width mode (ＡＢＣ, １３８, ＠, ideographic space), and
 * spreadsheets or copy-paste bring zero-width and direction marks. Folding them makes values that look the
 * same compare the same (search, dedup), and keeps code points PostgreSQL refuses (NUL, unpaired
 * surrogates) out of the database. Everything here is a precompiled regular expression because it runs on
 * every field of every imported row.
 */

/**
 * Printable ASCII and CJK ideographs, single spaces between words, nothing at the ends: the shape of most
 * values, which need no work at all (ASCII and these ideographs are already NFC).
 */
const ALREADY_CLEAN = /^[\x21-\x7e\u4e00-\u9fff]+(?: [\x21-\x7e\u4e00-\u9fff]+)*$/;

/**
 * Code points that are invisible and carry no meaning in a name or label: C0/C1 controls other than
 * whitespace (NUL breaks PostgreSQL text), soft hyphen, Arabic letter mark, Hangul fillers (used to fake
 * "blank" names), Mongolian vowel separator, zero-width space/non-joiner/joiner, direction marks, embeddings,
 * overrides and isolates (spoofing), word joiner and invisible operators, byte order mark; plus unpaired
 * surrogates, which cannot be encoded as UTF-8. (NEL is whitespace, handled below.)
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Full-width forms of printable ASCII (U+FF01..U+FF5E) sit at a fixed offset from their ASCII twins. */
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/** Any run of whitespace, including the ideographic space U+3000 and NEL (which JavaScript's \s omits). */
const WHITESPACE_RUN = /[\s\u0085]+/g;

/** Any UTF-16 code unit outside ASCII; only such strings can be changed by NFC. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Longest excerpt of a rejected value quoted in a problem message, so messages stay readable and bounded. */
const MAX_QUOTED_LENGTH = 40;

function toHalfWidth(char: string): string {
  return String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET);
}

/**
 * Full-width ASCII → half-width, invisible characters removed, whitespace collapsed to single spaces and
 * trimmed, NFC. CJK characters and all other scripts are kept as they are. Non-strings give ''.
 */
export function normaliseText(raw: string): string {
  if (typeof raw !== 'string') return '';
  if (ALREADY_CLEAN.test(raw)) return raw;
  const folded = raw.replace(INVISIBLE, '').replace(FULL_WIDTH, toHalfWidth).replace(WHITESPACE_RUN, ' ').trim();
  // NFC after removing invisibles, so a base letter and a combining mark that were split by one compose.
  return NON_ASCII.test(folded) ? folded.normalize('NFC') : folded;
}

/** Person and company names get exactly the text folding: 张三 between ideographic spaces → `张三`, `ＡＢＣ 公司` → `ABC 公司`. */
export function normaliseName(raw: string): string {
  return normaliseText(raw);
}

/** The comparison form of a name for trigram search and duplicate detection: normalised and lower-cased. */
export function nameSearchKey(raw: string): string {
  return normaliseName(raw).toLowerCase();
}

/** A rejected value as quoted in a problem message: JSON-escaped (controls stay visible) and shortened. */
export function quoteValue(raw: unknown): string {
  if (typeof raw !== 'string') return raw === null ? 'null' : `a ${typeof raw}`;
  const excerpt = raw.length > MAX_QUOTED_LENGTH ? `${raw.slice(0, MAX_QUOTED_LENGTH)}…` : raw;
  return JSON.stringify(excerpt);
}
