import { ANONYMOUS_IDENTITY, signInternalCredential, type InternalIdentity } from '@crm/platform/auth';

/**
 * A credential is accepted by services for a minute (INTERNAL_CREDENTIAL_MAX_AGE_MS); reusing one
 * signature for a few seconds saves an HMAC and an object per request without widening the replay window.
 */
const RESIGN_AFTER_MS = 5_000;

/** Identity headers plus `x-internal-auth`, as signInternalCredential produces them. */
export type SignedIdentityHeaders = Readonly<Record<string, string>>;

/**
 * Who a request is from, as the gateway established it. Callers are cached with the verification that
 * produced them, so everything derived (rate-limit keys, signed headers) is computed once per caller
 * rather than once per request.
 */
export class Caller {
  /** Rate-limit keys; undefined where the limit does not apply to this kind of caller. */
  readonly userKey?: string;
  readonly tenantKey?: string;
  readonly apiKeyKey?: string;

  private signed?: SignedIdentityHeaders;
  private signedAt = 0;

  private constructor(
    readonly identity: InternalIdentity,
    readonly via: 'anonymous' | 'token' | 'api-key',
    keyId?: string,
  ) {
    if (identity.tenantId) this.tenantKey = identity.tenantId;
    // API-key traffic is limited per key and tenant; the key's own quota replaces its creator's.
    if (via === 'token' && identity.tenantId && identity.userId) this.userKey = `${identity.tenantId}/${identity.userId}`;
    if (via === 'api-key' && identity.tenantId && keyId) this.apiKeyKey = `${identity.tenantId}/${keyId}`;
  }

  static anonymous(): Caller {
    return new Caller(ANONYMOUS_IDENTITY, 'anonymous');
  }

  static fromToken(identity: InternalIdentity): Caller {
    return new Caller(identity, 'token');
  }

  static fromApiKey(identity: InternalIdentity, keyId: string): Caller {
    return new Caller(identity, 'api-key', keyId);
  }

  /** The headers that vouch for this caller to a service, signed at most RESIGN_AFTER_MS ago. */
  forwardedHeaders(secret: string, now: number): SignedIdentityHeaders {
    if (!this.signed || now - this.signedAt >= RESIGN_AFTER_MS || now < this.signedAt) {
      this.signed = signInternalCredential(secret, this.identity, now) as Record<string, string>;
      this.signedAt = now;
    }
    return this.signed;
  }
}
