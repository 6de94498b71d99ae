import { randomBytes } from 'node:crypto';
import { PiiCipher, PiiDecryptionError } from './pii-cipher';
import { parsePiiKey } from './pii-key';

const binding = { tenantId: 't-1', customerId: 'c-1', field: 'nationalId' as const };

describe('PiiCipher', () => {
  const key = randomBytes(32);
  const cipher = new PiiCipher(key);

  it('round-trips a value, with a fresh IV every time', () => {
    const first = cipher.encrypt('110101199003071233', binding);
    const second = cipher.encrypt('110101199003071233', binding);

    expect(cipher.decrypt(first, binding)).toBe('110101199003071233');
    expect(first.equals(second)).toBe(false);
    expect(first.toString('latin1')).not.toContain('110101199003071233');
  });

  it('refuses a ciphertext moved to another customer, tenant or field', () => {
    const sealed = cipher.encrypt('6222020200112233445', binding);

    expect(() => cipher.decrypt(sealed, { ...binding, customerId: 'c-2' })).toThrow(PiiDecryptionError);
    expect(() => cipher.decrypt(sealed, { ...binding, tenantId: 't-2' })).toThrow(PiiDecryptionError);
    expect(() => cipher.decrypt(sealed, { ...binding, field: 'bankAccount' })).toThrow(PiiDecryptionError);
  });

  it('refuses a tampered ciphertext and garbage', () => {
    const sealed = cipher.encrypt('secret', binding);
    sealed[sealed.length - 20] ^= 0x01;

    expect(() => cipher.decrypt(sealed, binding)).toThrow(PiiDecryptionError);
    expect(() => cipher.decrypt(Buffer.from('nonsense'), binding)).toThrow(/unknown format/);
  });

  it('still decrypts values of the previous key after a rotation, and encrypts with the new one', () => {
    const old = cipher.encrypt('old value', binding);
    const rotated = new PiiCipher(randomBytes(32), [key]);

    expect(rotated.decrypt(old, binding)).toBe('old value');
    expect(() => cipher.decrypt(rotated.encrypt('new value', binding), binding)).toThrow(/not configured/);
    expect(() => new PiiCipher(randomBytes(32)).decrypt(old, binding)).toThrow(/not configured/);
  });

  it('needs 32-byte keys', () => {
    expect(() => new PiiCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('parsePiiKey', () => {
  const raw = randomBytes(32);

  it.each([
    ['hex', raw.toString('hex')],
    ['base64', raw.toString('base64')],
    ['base64 without padding', raw.toString('base64').replace(/=$/, '')],
    ['base64url', raw.toString('base64url')],
  ])('reads %s', (_label, text) => {
    expect(parsePiiKey(text)?.equals(raw)).toBe(true);
  });

  it.each([['a passphrase'], [randomBytes(16).toString('base64')], [randomBytes(33).toString('hex')], ['']])('refuses %j', (text) => {
    expect(parsePiiKey(text)).toBeUndefined();
  });
});
