/**
 * Values in PostgreSQL's COPY text format: tab-separated columns, `\N` for NULL, and backslash, tab,
 * newline and carriage return escaped. Arrays are written as array literals, then escaped like any text.
 */

export const COPY_NULL = '\\N';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Text as one COPY column; null and undefined are NULL. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (char) => ESCAPED[char]) : value;
}

/** A text[] as one COPY column: `{"a","b \"c\""}`, every element quoted (so commas, braces and blanks are safe). */
export function copyTextArray(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return COPY_NULL;
  if (values.length === 0) return '{}';
  return copyText(`{${values.map(arrayElement).join(',')}}`);
}

function arrayElement(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

export function copyJson(value: unknown): string {
  return value === null || value === undefined ? COPY_NULL : copyText(JSON.stringify(value));
}

export function copyBoolean(value: boolean | null | undefined): string {
  return value === null || value === undefined ? COPY_NULL : value ? 't' : 'f';
}

export function copyInteger(value: number): string {
  return String(value);
}

/** A calendar date as YYYY-MM-DD (its UTC day). */
export function copyDate(value: Date | null | undefined): string {
  return value ? value.toISOString().slice(0, 10) : COPY_NULL;
}

/** One line of COPY input: the columns in table order. */
export function copyLine(columns: readonly string[]): string {
  return `${columns.join('\t')}\n`;
}
