import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keyFingerprint, PII_KEY_BYTES } from './pii-key';

/** Which record and field a ciphertext belongs to; bound into it so it cannot be moved to another. */
export interface PiiBinding {
  tenantId: string;
  customerId: string;
  field: 'nationalId' | 'bankAccount';
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FINGERPRINT_BYTES = 4;
const HEADER_BYTES = 1 + FINGERPRINT_BYTES + IV_BYTES;

export class PiiDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt personal data: ${reason}`);
    this.name = 'PiiDecryptionError';
  }
}

/**
 * AES-256-GCM for the few fields stored encrypted (national ID, bank account). A ciphertext is
 * `version (1) | key fingerprint (4) | IV (12) | ciphertext | tag (16)`; the tenant, customer and field
 * are authenticated as additional data, so a value copied onto another customer or field fails to
 * decrypt. New values use the current key; values written with a previous key still decrypt while
 * that key is configured (CUSTOMERS_PII_KEY_PREVIOUS), which is how the key is rotated.
 */
export class PiiCipher {
  private readonly current: { key: Buffer; fingerprint: Buffer };
  private readonly keys: Array<{ key: Buffer; fingerprint: Buffer }>;

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== PII_KEY_BYTES) throw new Error(`a PII key must be ${PII_KEY_BYTES} bytes`);
    }
    this.keys = [currentKey, ...previousKeys].map((key) => ({ key, fingerprint: keyFingerprint(key) }));
    this.current = this.keys[0];
  }

  encrypt(plaintext: string, binding: PiiBinding): Buffer {
    const iv = randomBytes(IV_BYTES);
    const header = Buffer.concat([Buffer.from([FORMAT_VERSION]), this.current.fingerprint, iv]);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(additionalData(binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  }

  decrypt(ciphertext: Buffer, binding: PiiBinding): string {
    if (ciphertext.length < HEADER_BYTES + TAG_BYTES || ciphertext[0] !== FORMAT_VERSION) throw new PiiDecryptionError('unknown format');
    const fingerprint = ciphertext.subarray(1, 1 + FINGERPRINT_BYTES);
    const entry = this.keys.find((candidate) => candidate.fingerprint.equals(fingerprint));
    if (!entry) throw new PiiDecryptionError('it was encrypted with a key that is not configured');
    const iv = ciphertext.subarray(1 + FINGERPRINT_BYTES, HEADER_BYTES);
    const body = ciphertext.subarray(HEADER_BYTES, ciphertext.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, iv);
    decipher.setAAD(additionalData(binding));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiDecryptionError('the ciphertext or its binding to this customer does not authenticate');
    }
  }
}

function additionalData({ tenantId, customerId, field }: PiiBinding): Buffer {
  return Buffer.from(`crm.customers/${tenantId}/${customerId}/${field}`, 'utf8');
}
