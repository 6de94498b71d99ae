import { credentialHash, ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('returns entries until they expire', () => {
    const cache = new ExpiringCache<string>(10);
    cache.set('k', 'v', 1_000);

    expect(cache.get('k', 999)).toBe('v');
    expect(cache.get('k', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new ExpiringCache<number>(2);
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    cache.set('c', 3, 10);

    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBe(2);
    expect(cache.get('c', 0)).toBe(3);
  });
});

describe('credentialHash', () => {
  it('never contains the credential and tells credentials apart', () => {
    const key = 'crm_key1_s3cretS3cretS3cret';

    expect(credentialHash(key)).not.toContain('s3cret');
    expect(credentialHash(key)).toBe(credentialHash(key));
    expect(credentialHash(key)).not.toBe(credentialHash(`${key}x`));
  });
});
