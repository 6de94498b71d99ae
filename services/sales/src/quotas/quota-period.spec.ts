import { parsePeriod } from './quota-period';

describe('quota periods', () => {
  it('read months, quarters and years as half-open date ranges', () => {
    expect(parsePeriod('2026-11')).toEqual({ key: '2026-11', kind: 'month', start: '2026-11-01', end: '2026-12-01' });
    expect(parsePeriod('2026-12')).toEqual({ key: '2026-12', kind: 'month', start: '2026-12-01', end: '2027-01-01' });
    expect(parsePeriod('2026-Q4')).toEqual({ key: '2026-Q4', kind: 'quarter', start: '2026-10-01', end: '2027-01-01' });
    expect(parsePeriod('2026-Q1')).toEqual({ key: '2026-Q1', kind: 'quarter', start: '2026-01-01', end: '2026-04-01' });
    expect(parsePeriod('2026')).toEqual({ key: '2026', kind: 'year', start: '2026-01-01', end: '2027-01-01' });
  });

  it('refuse anything else', () => {
    for (const text of ['2026-13', '2026-Q5', '26-Q1', '2026-1', '2026Q4', '', '2026-11-01']) expect(parsePeriod(text)).toBeNull();
  });
});
