import { Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTVerifyOptions } from 'jose';
import { GatewayEnv } from '../config/gateway.env';
import { InvalidTokenError } from '../errors/gateway-errors';
import { Caller } from './caller';
import { credentialHash, ExpiringCache } from './expiring-cache';
import { identityFromClaims } from './identity-claims';
import { JwksKeys } from './jwks-keys';

/** Tolerated clock difference between identity and the gateway, in seconds. */
const CLOCK_TOLERANCE_S = 5;
/** Tokens verified recently; each holds a few hundred bytes, so this stays within a few MB. */
const VERIFIED_TOKENS = 10_000;
/** Longer tokens are not something identity issues; refusing them early bounds the work per request. */
const MAX_TOKEN_LENGTH = 8_192;

/**
 * Checks bearer access tokens: ES256 signature by one of identity's keys, issuer, audience and expiry.
 * A verified token is remembered (by its hash) until it expires, so a client's next requests skip the
 * signature check; a changed byte is a different hash, so tampering still meets the full check.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verified = new ExpiringCache<Caller>(VERIFIED_TOKENS);
  /** The access-token contract with identity (design §4). */
  private readonly options: JWTVerifyOptions;

  constructor(
    private readonly keys: JwksKeys,
    config: GatewayEnv,
  ) {
    this.options = {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      algorithms: ['ES256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      // Without exp a token would never expire; without tid/sub it names nobody.
      requiredClaims: ['exp', 'sub', 'tid'],
    };
  }

  /** The caller a token speaks for; synchronous when the token was verified before. */
  verify(token: string): Caller | Promise<Caller> {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('The access token is invalid');
    const hash = credentialHash(token);
    return this.verified.get(hash, Date.now()) ?? this.verifyFully(token, hash);
  }

  private async verifyFully(token: string, hash: string): Promise<Caller> {
    let claims: Record<string, unknown>;
    try {
      claims = (await jwtVerify(token, this.keys.resolve, this.options)).payload;
    } catch (error) {
      throw asTokenError(error);
    }
    const identity = identityFromClaims(claims);
    if (!identity) throw new InvalidTokenError('The access token does not name a tenant and user');
    const caller = Caller.fromToken(identity);
    this.verified.set(hash, caller, (claims.exp as number) * 1000);
    return caller;
  }
}

/** jose's verdicts become 401s with a reason the client can act on; anything else (identity down) passes through. */
function asTokenError(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('The access token has expired');
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('The access token is signed with an unknown key');
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidTokenError(`The access token is not valid here (${error.claim})`);
  if (error instanceof errors.JOSEError) return new InvalidTokenError('The access token is invalid');
  return error;
}
