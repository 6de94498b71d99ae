import { createHash } from 'node:crypto';

/**
 * A map whose entries expire, holding at most `maxEntries`: when full, the oldest entry goes first.
 * Verified tokens and keys are cached here, so its size is what an attacker presenting many valid
 * credentials could make the gateway hold.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Cache key for a credential: its SHA-256, so the cache never holds a usable token or key. */
export function credentialHash(credential: string): string {
  return createHash('sha256').update(credential).digest('base64url');
}
