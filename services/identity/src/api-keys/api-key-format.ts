import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `crm_<keyId>_<secret>`: `crm_` makes a leaked key easy to recognise (secret
 * scanners), the key id finds the row, and only the SHA-256 of the 256-bit secret is stored.
 */
export const API_KEY_PREFIX = 'crm_';
const KEY_ID_BYTES = 8;
const SECRET_BYTES = 32;
const FORMAT = /^crm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  keyId: string;
  /** The whole key, shown to its creator once. */
  key: string;
  secretHash: Buffer;
}

export function generateApiKey(): GeneratedApiKey {
  const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { keyId, key: `${API_KEY_PREFIX}${keyId}_${secret}`, secretHash: hashSecret(secret) };
}

/** The parts of a presented key, or undefined when it cannot be one of ours. */
export function parseApiKey(key: string): { keyId: string; secret: string } | undefined {
  const match = FORMAT.exec(key);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

/** Whether the presented secret is the one whose hash is stored; constant-time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

/** What lists show instead of the key: enough to tell keys apart, nothing to use. */
export function displayPrefix(keyId: string): string {
  return `${API_KEY_PREFIX}${keyId}`;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
