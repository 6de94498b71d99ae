interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets untouched this long are full again and are swept away; a sweep runs at most this often. */
const SWEEP_EVERY_MS = 60_000;

/**
 * One rate limit, `perMinute` requests per key: a token bucket per key that holds up to a minute's
 * quota (the allowed burst) and refills continuously. In memory, so each gateway instance limits on
 * its own: with N instances behind a balancer a client gets up to N times the quota.
 *
 * Memory is bounded: a bucket idle long enough to be full again is the same as no bucket, so idle
 * buckets are swept away; beyond `maxBuckets` keys (an address-spraying attacker) the oldest buckets
 * are dropped, which at worst hands their owners a fresh quota.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;
  private readonly fullAfterMs: number;
  private lastSweepAt: number;

  constructor(
    readonly perMinute: number,
    private readonly maxBuckets = 100_000,
    now = Date.now(),
  ) {
    if (!(perMinute > 0)) throw new Error('A rate limit needs a positive quota');
    this.refillPerMs = perMinute / 60_000;
    this.fullAfterMs = 60_000;
    this.lastSweepAt = now;
  }

  /** Takes one token for `key`: 0 when the request may go ahead, else the milliseconds until it could. */
  take(key: string, now: number): number {
    if (now - this.lastSweepAt >= SWEEP_EVERY_MS) this.sweep(now);
    const bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.makeRoom(now);
      this.buckets.set(key, { tokens: this.perMinute - 1, updatedAt: now });
      return 0;
    }
    const elapsed = now - bucket.updatedAt;
    if (elapsed > 0) {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + elapsed * this.refillPerMs);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.refillPerMs);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweepAt = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt >= this.fullAfterMs) this.buckets.delete(key);
    }
  }

  private makeRoom(now: number): void {
    this.sweep(now);
    // Still full of active buckets: drop the oldest tenth rather than one per new key.
    let excess = this.buckets.size - Math.floor(this.maxBuckets * 0.9);
    for (const key of this.buckets.keys()) {
      if (excess-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
