import { parsePartnerPeriod } from './partner-period';

describe('partner periods', () => {
  it('parses years, quarters and months into half-open date ranges', () => {
    expect(parsePartnerPeriod('2026')).toEqual({ period: '2026', start: '2026-01-01', end: '2027-01-01' });
    expect(parsePartnerPeriod('2026-Q4')).toEqual({ period: '2026-Q4', start: '2026-10-01', end: '2027-01-01' });
    expect(parsePartnerPeriod('2026-02')).toEqual({ period: '2026-02', start: '2026-02-01', end: '2026-03-01' });
  });

  it('refuses anything else', () => {
    for (const value of ['2026-Q5', '2026-13', '26-01', '2026-1', 'Q1']) expect(parsePartnerPeriod(value)).toBeNull();
  });
});
