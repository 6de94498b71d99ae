import { DEFAULT_SCRYPT, PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  // Cheap parameters keep the suite fast; the format and comparison do not depend on them.
  const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });

  it('stores the scheme, parameters, salt and hash, and verifies only the right password', async () => {
    const stored = await hasher.hash('Correct-horse-1');

    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(hasher.verify('Correct-horse-1', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct-horse-1', stored)).resolves.toBe(false);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const [first, second] = await Promise.all([hasher.hash('same-Password-1'), hasher.hash('same-Password-1')]);

    expect(first).not.toBe(second);
  });

  it('verifies with the parameters stored in the hash, and says when they are outdated', async () => {
    const old = await new PasswordHasher({ N: 512, r: 4, p: 1 }).hash('Legacy-pass-1');

    await expect(hasher.verify('Legacy-pass-1', old)).resolves.toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('Legacy-pass-1'))).toBe(false);
  });

  it('treats differently composed Unicode as the same password', async () => {
    const stored = await hasher.hash('Caf\u00e9-au-lait-1');

    await expect(hasher.verify('Cafe\u0301-au-lait-1', stored)).resolves.toBe(true);
  });

  it('never matches a malformed stored hash', async () => {
    for (const stored of ['', 'bcrypt$10$abc', 'scrypt$0$8$1$c2FsdA$aGFzaA', 'scrypt$1024$8$1$$', 'scrypt$1024$8$1$c2FsdA']) {
      await expect(hasher.verify('anything', stored)).resolves.toBe(false);
      expect(hasher.needsRehash(stored)).toBe(true);
    }
  });

  it('uses a cost that follows OWASP guidance by default', async () => {
    expect(DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r * DEFAULT_SCRYPT.p).toBeGreaterThanOrEqual(2 ** 15 * 8 * 3);
    const stored = await new PasswordHasher().hash('Default-cost-1');
    expect(stored.startsWith(`scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$`)).toBe(true);
  });
});
