import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  const start = 1_000_000;

  it('allows a minute of quota as a burst, then one request per refill interval', () => {
    const buckets = new TokenBuckets(60, 100, start);

    for (let index = 0; index < 60; index += 1) expect(buckets.take('k', start)).toBe(0);
    expect(buckets.take('k', start)).toBe(1_000);
    expect(buckets.take('k', start + 400)).toBe(600);
    expect(buckets.take('k', start + 1_000)).toBe(0);
    expect(buckets.take('k', start + 1_000)).toBeGreaterThan(0);
  });

  it('keeps each key apart', () => {
    const buckets = new TokenBuckets(1, 100, start);

    expect(buckets.take('a', start)).toBe(0);
    expect(buckets.take('a', start)).toBe(60_000);
    expect(buckets.take('b', start)).toBe(0);
  });

  it('refills no further than the quota', () => {
    const buckets = new TokenBuckets(2, 100, start);
    buckets.take('k', start);

    const later = start + 3_600_000;
    expect(buckets.take('k', later)).toBe(0);
    expect(buckets.take('k', later)).toBe(0);
    expect(buckets.take('k', later)).toBeGreaterThan(0);
  });

  it('forgets buckets idle long enough to be full again', () => {
    const buckets = new TokenBuckets(10, 100, start);
    for (let index = 0; index < 50; index += 1) buckets.take(`client-${index}`, start);
    expect(buckets.size).toBe(50);

    buckets.take('fresh', start + 61_000);
    expect(buckets.size).toBe(1);
  });

  it('holds at most maxBuckets, dropping the oldest when new keys keep coming', () => {
    const buckets = new TokenBuckets(10, 100, start);
    for (let index = 0; index < 1_000; index += 1) buckets.take(`address-${index}`, start + index);

    expect(buckets.size).toBeLessThanOrEqual(100);
    // The most recent clients are still limited.
    for (let index = 0; index < 9; index += 1) buckets.take('address-999', start + 1_000);
    expect(buckets.take('address-999', start + 1_000)).toBeGreaterThan(0);
  });

  it('refuses a quota that is not positive', () => {
    expect(() => new TokenBuckets(0)).toThrow('positive quota');
  });
});
