/** A calendar period of a report: a month (2026-11), a quarter (2026-Q4) or a year (2026), in UTC. */
export interface ReportPeriod {
  label: string;
  /** First instant (inclusive). */
  from: Date;
  /** First instant after the period (exclusive). */
  to: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

/** The period `value` names, or null when it names none. */
export function parsePeriod(value: string): ReportPeriod | null {
  let year: number;
  let firstMonth: number;
  let months: number;
  let match: RegExpExecArray | null;
  if ((match = MONTH.exec(value))) {
    year = Number(match[1]);
    firstMonth = Number(match[2]) - 1;
    months = 1;
  } else if ((match = QUARTER.exec(value))) {
    year = Number(match[1]);
    firstMonth = (Number(match[2]) - 1) * 3;
    months = 3;
  } else if ((match = YEAR.exec(value))) {
    year = Number(match[1]);
    firstMonth = 0;
    months = 12;
  } else {
    return null;
  }
  return { label: value, from: new Date(Date.UTC(year, firstMonth, 1)), to: new Date(Date.UTC(year, firstMonth + months, 1)) };
}
