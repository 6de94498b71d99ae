/**
 * Partner quota periods: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`), as half-open UTC
 * ranges [start, end) of dates.
 */
const YEAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface PartnerPeriod {
  period: string;
  /** YYYY-MM-DD, inclusive */
  start: string;
  /** YYYY-MM-DD, exclusive */
  end: string;
}

const day = (year: number, monthIndex: number): string => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);

export function parsePartnerPeriod(value: string): PartnerPeriod | null {
  let match = YEAR.exec(value);
  if (match) return { period: value, start: day(Number(match[1]), 0), end: day(Number(match[1]) + 1, 0) };
  match = QUARTER.exec(value);
  if (match) {
    const first = (Number(match[2]) - 1) * 3;
    return { period: value, start: day(Number(match[1]), first), end: day(Number(match[1]), first + 3) };
  }
  match = MONTH.exec(value);
  if (match) {
    const month = Number(match[2]) - 1;
    return { period: value, start: day(Number(match[1]), month), end: day(Number(match[1]), month + 1) };
  }
  return null;
}

export const PERIOD_FORMAT = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
