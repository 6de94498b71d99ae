import { completionPercent, lastDayOf, planPeriod } from './plan-period';

describe('plan periods', () => {
  it('computes day, week and month periods with an exclusive end', () => {
    expect(planPeriod('day', '2026-02-28')).toEqual({ start: '2026-02-28', end: '2026-03-01' });
    expect(planPeriod('week', '2026-11-23')).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(planPeriod('month', '2026-12-01')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(lastDayOf('2027-01-01')).toBe('2026-12-31');
  });

  it('refuses starts that do not start the period', () => {
    expect(planPeriod('week', '2026-11-24')).toEqual({ error: 'a weekly plan starts on a Monday' });
    expect(planPeriod('month', '2026-11-02')).toEqual({ error: 'a monthly plan starts on the 1st' });
    expect(planPeriod('day', '2026-02-30')).toEqual({ error: 'periodStart must be a date YYYY-MM-DD' });
  });

  it('caps done counts at targets when computing completion', () => {
    expect(completionPercent([])).toBeNull();
    expect(completionPercent([{ targetCount: 10, doneCount: 4 }, { targetCount: 2, doneCount: 5 }])).toBe(50);
    expect(completionPercent([{ targetCount: 3, doneCount: 1 }])).toBe(33.3);
  });
});
