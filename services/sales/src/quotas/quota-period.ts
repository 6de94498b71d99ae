/** A quota/forecast period: a month `2026-11`, a quarter `2026-Q4` or a year `2026`. */
export interface Period {
  /** Canonical text, e.g. 2026-Q4. */
  key: string;
  kind: 'month' | 'quarter' | 'year';
  /** First day, YYYY-MM-DD. */
  start: string;
  /** First day after the period, YYYY-MM-DD (exclusive). */
  end: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

function day(year: number, month: number): string {
  // month is 1-based and may be 13 (January of the next year).
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** The period `text` names, or null when it is not one. */
export function parsePeriod(text: string): Period | null {
  const match = PERIOD_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1970 || year > 9998) return null;
  if (match[2]) {
    const month = Number(match[2]);
    return { key: text, kind: 'month', start: day(year, month), end: day(year, month + 1) };
  }
  if (match[3]) {
    const quarter = Number(match[3]);
    return { key: text, kind: 'quarter', start: day(year, quarter * 3 - 2), end: day(year, quarter * 3 + 1) };
  }
  return { key: text, kind: 'year', start: day(year, 1), end: day(year + 1, 1) };
}
