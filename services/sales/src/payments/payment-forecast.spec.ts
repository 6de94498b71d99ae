import { monthsBetween } from './payment-forecast.service';

describe('payment forecast months', () => {
  it('lists every month of the range, across years', () => {
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11-01', '2026-11-30')).toEqual(['2026-11']);
  });
});
