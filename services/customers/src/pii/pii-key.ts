import { createHash } from 'node:crypto';

export const PII_KEY_BYTES = 32;

const HEX_KEY = /^[0-9a-f]{64}$/i;
/** Standard or URL-safe base64 of 32 bytes: 43 characters plus optional `=` padding. */
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Reads an AES-256 key given as 64 hex digits or as base64 (standard or URL-safe) of exactly 32 bytes;
 * undefined for anything else, so a typo or a passphrase is refused at start-up instead of weakening
 * the encryption.
 */
export function parsePiiKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64_KEY.test(text)) return undefined;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === PII_KEY_BYTES ? key : undefined;
}

/** Four bytes naming a key inside each ciphertext, so a rotated-out key can still be picked to decrypt. */
export function keyFingerprint(key: Buffer): Buffer {
  return createHash('sha256').update('crm-customers-pii-key').update(key).digest().subarray(0, 4);
}
