import { parsePeriod } from './report-period';

describe('report periods', () => {
  it('reads months, quarters and years as half-open UTC ranges', () => {
    expect(parsePeriod('2026-11')).toEqual({ label: '2026-11', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(parsePeriod('2026-Q4')).toEqual({ label: '2026-Q4', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(parsePeriod('2026')).toEqual({ label: '2026', from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
  });

  it('names nothing for other text', () => {
    expect(parsePeriod('2026-13')).toBeNull();
    expect(parsePeriod('2026-Q5')).toBeNull();
    expect(parsePeriod('26')).toBeNull();
  });
});
