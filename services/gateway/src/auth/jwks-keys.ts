import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWTHeaderParameters, type KeyLike } from 'jose';
import { GatewayEnv } from '../config/gateway.env';
import { IdentityUnavailableError } from '../errors/gateway-errors';
import { IdentityClient } from './identity-client';

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** After a failed fetch with no keys at all, requests fail fast for this long instead of each asking identity. */
const FAILED_FETCH_BACKOFF_MS = 1_000;

/**
 * identity's public signing keys, fetched from its JWKS endpoint and kept in memory.
 *  - Fetched at start-up (without holding start-up up) and again every GATEWAY_JWKS_REFRESH_MS in the
 *    background while requests keep using the keys they have.
 *  - A token with an unknown `kid` (identity rotated its key) fetches them again, but never sooner than
 *    GATEWAY_JWKS_REFETCH_COOLDOWN_MS after the previous fetch: forged kids cannot flood identity.
 *  - Concurrent requests share one fetch.
 */
@Injectable()
export class JwksKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(JwksKeys.name);
  private keySet?: LocalKeySet;
  private fetchedAt = -Infinity;
  private failedAt = -Infinity;
  private fetching?: Promise<LocalKeySet>;
  private fetches = 0;

  /** For jwtVerify: the key a token's header names. */
  readonly resolve = (header: JWTHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike> => this.keyFor(header, token);

  constructor(
    private readonly identity: IdentityClient,
    private readonly config: GatewayEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.IDENTITY_URL) return;
    this.refresh().catch(() => undefined); // logged by the client; the first token fetches again
  }

  private async keyFor(header: JWTHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike> {
    const keySet = this.keySet ?? (await this.firstKeySet());
    if (Date.now() - this.fetchedAt >= this.config.GATEWAY_JWKS_REFRESH_MS) this.refresh().catch(() => undefined);
    try {
      return await keySet(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - this.fetchedAt < this.config.GATEWAY_JWKS_REFETCH_COOLDOWN_MS) throw error;
      return (await this.refresh())(header, token);
    }
  }

  private firstKeySet(): Promise<LocalKeySet> {
    if (Date.now() - this.failedAt < FAILED_FETCH_BACKOFF_MS && !this.fetching) return Promise.reject(new IdentityUnavailableError());
    return this.refresh();
  }

  /** Fetches the key set once for every caller waiting on it; a failure keeps the keys already known. */
  private refresh(): Promise<LocalKeySet> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetch(): Promise<LocalKeySet> {
    this.fetches += 1;
    try {
      const keySet = createLocalJWKSet(await this.identity.fetchJwks());
      this.keySet = keySet;
      this.fetchedAt = Date.now();
      this.logger.debug(`Fetched identity's signing keys (fetch ${this.fetches})`);
      return keySet;
    } catch (error) {
      this.failedAt = Date.now();
      // A failed refetch counts towards the cooldown too, or an outage would be retried per request.
      if (this.keySet) this.fetchedAt = this.failedAt;
      if (error instanceof IdentityUnavailableError) throw error;
      // jose refuses a malformed key set: identity's fault, not the token's.
      this.logger.warn(`identity served an unusable key set: ${String(error)}`);
      throw new IdentityUnavailableError(undefined, { cause: error });
    }
  }
}
