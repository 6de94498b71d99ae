import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER } from '@crm/platform/auth';
import { BaseServiceEnv, EnvBoolean, EnvInteger, EnvText } from '@crm/platform/config';
import { IsEmail, IsOptional } from 'class-validator';
import { IsAcceptablePassword } from '../common/validators';

const DAY_S = 86_400;

/** Identity's settings on top of the platform's; every one is validated at start-up. */
export class IdentityEnv extends BaseServiceEnv {
  /** Self-service sign-up (`POST /auth/signup`) creates a new tenant; turn it off for a private installation. */
  @EnvBoolean()
  ALLOW_SIGNUP = true;

  /** Lifetime of an access token (JWT); short, because it cannot be revoked before it expires. */
  @EnvInteger({ min: 60, max: DAY_S })
  ACCESS_TOKEN_TTL_S = 900;

  /** Lifetime of a refresh token; every refresh issues a new one with a fresh lifetime. */
  @EnvInteger({ min: 300, max: 365 * DAY_S })
  REFRESH_TOKEN_TTL_S = 30 * DAY_S;

  /** Failed sign-ins for one e-mail address, within LOGIN_FAILURE_WINDOW_S, that lock it. */
  @EnvInteger({ min: 1, max: 1_000 })
  LOGIN_MAX_FAILURES = 5;

  /** Window in which failed sign-ins are counted. */
  @EnvInteger({ min: 1, max: DAY_S })
  LOGIN_FAILURE_WINDOW_S = 900;

  /** How long a locked e-mail address is refused, even with the right password. */
  @EnvInteger({ min: 1, max: DAY_S })
  LOGIN_LOCKOUT_S = 900;

  /** `iss` of issued access tokens; the gateway checks it. */
  @EnvText()
  JWT_ISSUER = DEFAULT_ACCESS_TOKEN_ISSUER;

  /** `aud` of issued access tokens; the gateway checks it. */
  @EnvText()
  JWT_AUDIENCE = DEFAULT_ACCESS_TOKEN_AUDIENCE;

  /** A signing key older than this is retired and a new one generated; 0 keeps the key forever. */
  @EnvInteger({ min: 0, max: 3_650 * DAY_S })
  SIGNING_KEY_MAX_AGE_S = 90 * DAY_S;

  /** Embedded mode: e-mail of the first admin created on an empty database (default admin@demo.local). */
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  CRM_ADMIN_EMAIL?: string;

  /** Embedded mode: password of that admin; a strong one is generated and printed once when unset. */
  @IsOptional()
  @IsAcceptablePassword({ nameInMessage: false })
  CRM_ADMIN_PASSWORD?: string;
}
