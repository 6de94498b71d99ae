import { benchmarkStandardisation, sampleCustomerRows } from './benchmark';
import { standardiseCustomer } from './customer';

describe('benchmarkStandardisation', () => {
  it('returns a throughput in rows per second', () => {
    // A smoke test only: timing assertions in unit tests are flaky; `npm run bench` reports the figure.
    expect(benchmarkStandardisation(2_000)).toBeGreaterThan(0);
  });

  it('feeds realistic rows: mostly valid, a few per cent of invalid phones and e-mails', () => {
    const rows = sampleCustomerRows(5_000);
    const problems = rows.flatMap((row) => standardiseCustomer(row).problems);

    expect(problems.length).toBeGreaterThan(50);
    expect(problems.length).toBeLessThan(500);
    expect(new Set(problems.map((problem) => problem.code))).toEqual(new Set(['invalid_phone', 'invalid_email']));
  });
});
