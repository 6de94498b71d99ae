import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { IdentityEnv } from '../config/identity.env';
import { SIGNING_ALGORITHM, SigningKeys } from './signing-keys';

/** Whom an access token speaks for; the gateway turns its claims into the forwarded identity headers. */
export interface TokenSubject {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  teamIds: readonly string[];
}

export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
}

/**
 * Short-lived ES256 JWTs: `iss`, `aud`, `sub` (user), `tid` (tenant), `roles`, `teams`, `iat`, `exp`,
 * `jti`, with the signing key's `kid` in the header so the gateway can pick it from the JWKS.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly config: IdentityEnv,
  ) {}

  async issue(subject: TokenSubject): Promise<IssuedAccessToken> {
    const key = await this.keys.active();
    const ttl = this.config.ACCESS_TOKEN_TTL_S;
    const accessToken = await new SignJWT({ tid: subject.tenantId, roles: [...subject.roles], teams: [...subject.teamIds] })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: ttl };
  }
}
