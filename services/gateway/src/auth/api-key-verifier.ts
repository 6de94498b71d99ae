import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env';
import { InvalidApiKeyError } from '../errors/gateway-errors';
import { Caller } from './caller';
import { credentialHash, ExpiringCache } from './expiring-cache';
import { IdentityClient } from './identity-client';

/** `crm_<keyId>_<secret>`: anything else is refused without asking identity. */
const API_KEY_FORMAT = /^crm_[A-Za-z0-9-]{1,64}_[A-Za-z0-9_-]{8,512}$/;
const CACHED_KEYS = 10_000;
/**
 * A refused key is remembered briefly, so a client retrying a bad key in a loop costs identity one call
 * per second, while a key that has just been created is usable a second later at most.
 */
const REFUSAL_CACHE_MS = 1_000;

/**
 * Checks `X-API-Key` with identity, which owns the hashed keys. Verdicts are cached by the key's hash:
 * an accepted key for GATEWAY_API_KEY_CACHE_MS (so a revocation takes effect within that time), a
 * refused one for a second. Concurrent requests with the same key share one call to identity.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly verdicts = new ExpiringCache<Caller | InvalidApiKeyError>(CACHED_KEYS);
  private readonly pending = new Map<string, Promise<Caller>>();
  private readonly acceptedForMs: number;
  private readonly refusedForMs: number;

  constructor(
    private readonly identity: IdentityClient,
    config: GatewayEnv,
  ) {
    this.acceptedForMs = config.GATEWAY_API_KEY_CACHE_MS;
    this.refusedForMs = Math.min(REFUSAL_CACHE_MS, config.GATEWAY_API_KEY_CACHE_MS);
  }

  /** The caller a key belongs to; synchronous when identity answered for this key recently. */
  verify(key: string): Caller | Promise<Caller> {
    if (!API_KEY_FORMAT.test(key)) throw new InvalidApiKeyError('The API key is malformed');
    const hash = credentialHash(key);
    const verdict = this.verdicts.get(hash, Date.now());
    if (verdict instanceof Caller) return verdict;
    if (verdict) throw verdict;
    let pending = this.pending.get(hash);
    if (!pending) {
      pending = this.ask(key, hash).finally(() => this.pending.delete(hash));
      this.pending.set(hash, pending);
    }
    return pending;
  }

  private async ask(key: string, hash: string): Promise<Caller> {
    const verified = await this.identity.verifyApiKey(key);
    const now = Date.now();
    if (!verified) {
      const refusal = new InvalidApiKeyError();
      if (this.refusedForMs > 0) this.verdicts.set(hash, refusal, now + this.refusedForMs);
      throw refusal;
    }
    const caller = Caller.fromApiKey(verified.identity, verified.keyId);
    if (this.acceptedForMs > 0) this.verdicts.set(hash, caller, now + this.acceptedForMs);
    return caller;
  }
}
