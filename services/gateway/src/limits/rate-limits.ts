import { Injectable } from '@nestjs/common';
import type { PublicAccess } from '../auth/public-routes';
import type { Caller } from '../auth/caller';
import { GatewayEnv } from '../config/gateway.env';
import { TooManyRequestsError } from '../errors/gateway-errors';
import { TokenBuckets } from './token-buckets';

function limiter(perMinute: number): TokenBuckets | undefined {
  return perMinute > 0 ? new TokenBuckets(perMinute) : undefined;
}

/**
 * The gateway's rate limits (per instance, see TokenBuckets): per client IP for anonymous routes (tight
 * on the auth routes, where passwords are guessed), and per user or API key and per tenant for
 * authenticated traffic. A limit configured as 0 is off.
 */
@Injectable()
export class RateLimits {
  private readonly authIp: TokenBuckets | undefined;
  private readonly publicIp: TokenBuckets | undefined;
  private readonly user: TokenBuckets | undefined;
  private readonly apiKey: TokenBuckets | undefined;
  private readonly tenant: TokenBuckets | undefined;

  constructor(config: GatewayEnv) {
    this.authIp = limiter(config.GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN);
    this.publicIp = limiter(config.GATEWAY_RATE_LIMIT_PUBLIC_IP_PER_MIN);
    this.user = limiter(config.GATEWAY_RATE_LIMIT_USER_PER_MIN);
    this.apiKey = limiter(config.GATEWAY_RATE_LIMIT_API_KEY_PER_MIN);
    this.tenant = limiter(config.GATEWAY_RATE_LIMIT_TENANT_PER_MIN);
  }

  /** Whether per-IP limits apply to this kind of anonymous route (so the caller can skip finding the IP). */
  limitsAddress(access: PublicAccess): boolean {
    return (access === 'auth' ? this.authIp : this.publicIp) !== undefined;
  }

  /** The refusal for an anonymous request from `address`, or undefined to let it through. */
  checkAddress(access: PublicAccess, address: string, now: number): TooManyRequestsError | undefined {
    const buckets = access === 'auth' ? this.authIp : this.publicIp;
    if (!buckets) return undefined;
    const waitMs = buckets.take(address, now);
    return waitMs === 0 ? undefined : new TooManyRequestsError('Too many requests from this address; retry later', buckets.perMinute, waitMs);
  }

  /**
   * The refusal for an authenticated caller, or undefined. The caller's own bucket is charged before the
   * tenant's, so a caller already over its own quota does not use up its colleagues' share.
   */
  checkCaller(caller: Caller, now: number): TooManyRequestsError | undefined {
    if (caller.userKey && this.user) {
      const waitMs = this.user.take(caller.userKey, now);
      if (waitMs > 0) return new TooManyRequestsError('Too many requests for this user; retry later', this.user.perMinute, waitMs);
    }
    if (caller.apiKeyKey && this.apiKey) {
      const waitMs = this.apiKey.take(caller.apiKeyKey, now);
      if (waitMs > 0) return new TooManyRequestsError('Too many requests for this API key; retry later', this.apiKey.perMinute, waitMs);
    }
    if (caller.tenantKey && this.tenant) {
      const waitMs = this.tenant.take(caller.tenantKey, now);
      if (waitMs > 0) return new TooManyRequestsError('Too many requests for this tenant; retry later', this.tenant.perMinute, waitMs);
    }
    return undefined;
  }
}
