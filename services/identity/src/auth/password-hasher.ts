import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * OWASP's scrypt settings trade memory for iterations; N=2^15, r=8, p=3 is one of its equivalent
 * recommendations and needs 32 MiB per hash, which keeps concurrent logins affordable.
 */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const SCHEME = 'scrypt';

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  // Node refuses to use more than `maxmem` (32 MiB by default); scrypt needs 128·N·r bytes plus a little.
  const options: ScryptOptions = { ...parameters, maxmem: 256 * parameters.N * parameters.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Password hashes in the self-describing form `scrypt$N$r$p$<salt>$<hash>` (base64url), so the cost can
 * be raised later without invalidating stored hashes: `needsRehash` tells the caller to upgrade one
 * after a successful sign-in.
 */
export class PasswordHasher {
  constructor(private readonly parameters: ScryptParameters = DEFAULT_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.parameters);
    const { N, r, p } = this.parameters;
    return [SCHEME, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.parameters);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    if (!parsed) return true;
    const { N, r, p } = parsed.parameters;
    return N !== this.parameters.N || r !== this.parameters.r || p !== this.parameters.p;
  }
}

const POSITIVE_INTEGER = /^[1-9]\d{0,9}$/;

function parse(stored: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== SCHEME) return undefined;
  const [, N, r, p, salt, key] = parts;
  if (![N, r, p].every((value) => POSITIVE_INTEGER.test(value)) || !salt || !key) return undefined;
  return { parameters: { N: Number(N), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}
