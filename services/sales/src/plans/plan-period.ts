/** Plan periods: a day, an ISO week (Monday to Sunday) or a calendar month, as dates (YYYY-MM-DD). */
export const PERIOD_TYPES = ['day', 'week', 'month'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: string): Date | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value ? date : null;
}

const format = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * The period starting at `start`: [start, end) with `end` exclusive, or a message saying why `start`
 * cannot start a period of that type (weeks start on Monday, months on the 1st).
 */
export function planPeriod(type: PeriodType, start: string): { start: string; end: string } | { error: string } {
  const date = parseDate(start);
  if (!date) return { error: 'periodStart must be a date YYYY-MM-DD' };
  const end = new Date(date);
  switch (type) {
    case 'day':
      end.setUTCDate(end.getUTCDate() + 1);
      break;
    case 'week':
      if (date.getUTCDay() !== 1) return { error: 'a weekly plan starts on a Monday' };
      end.setUTCDate(end.getUTCDate() + 7);
      break;
    case 'month':
      if (date.getUTCDate() !== 1) return { error: 'a monthly plan starts on the 1st' };
      end.setUTCMonth(end.getUTCMonth() + 1);
      break;
  }
  return { start: format(date), end: format(end) };
}

/** The last day of a period whose exclusive end is `end`. */
export function lastDayOf(end: string): string {
  const date = parseDate(end);
  if (!date) throw new Error(`${end} is not a date`);
  date.setUTCDate(date.getUTCDate() - 1);
  return format(date);
}

/** Completion in percent (one decimal) of items: done counts capped at their targets over the targets; null without items. */
export function completionPercent(items: ReadonlyArray<{ targetCount: number; doneCount: number }>): number | null {
  const target = items.reduce((sum, item) => sum + item.targetCount, 0);
  if (target === 0) return null;
  const done = items.reduce((sum, item) => sum + Math.min(item.doneCount, item.targetCount), 0);
  return Math.round((done / target) * 1000) / 10;
}

/**
 * SQL for the done count of a plan item (`item`) of a plan (`plan`): the stored done_count, or, for an
 * item that counts activities, the plan owner's logged activities of the item's kind in the plan's period
 * (completed tasks for kind task), about the item's lead, opportunity or customer when it names one.
 */
export function itemDoneSql(item: string, plan: string): string {
  const start = `(${plan}.period_start::timestamp AT TIME ZONE 'UTC')`;
  const end = `(${plan}.period_end::timestamp AT TIME ZONE 'UTC')`;
  return `CASE WHEN ${item}.count_activities THEN (
      SELECT count(*)::integer FROM activities pa
       WHERE pa.tenant_id = ${plan}.tenant_id AND pa.owner_id = ${plan}.owner_id AND pa.status = 'done' AND pa.kind = ${item}.kind
         AND CASE WHEN ${item}.kind = 'task' THEN pa.completed_at >= ${start} AND pa.completed_at < ${end}
                  ELSE pa.occurred_at >= ${start} AND pa.occurred_at < ${end} END
         AND (${item}.lead_id IS NULL OR pa.lead_id = ${item}.lead_id)
         AND (${item}.opportunity_id IS NULL OR pa.opportunity_id = ${item}.opportunity_id)
         AND (${item}.customer_id IS NULL OR pa.customer_id = ${item}.customer_id)
    ) ELSE ${item}.done_count END`;
}
