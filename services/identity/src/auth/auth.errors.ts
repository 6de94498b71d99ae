import { DomainError, ForbiddenError, UnauthorizedError } from '@crm/platform/errors';

export class SignupDisabledError extends ForbiddenError {
  constructor() {
    super('Sign-up is disabled on this installation; ask an admin for an account', { code: 'signup_disabled' });
  }
}

/** The same answer for an unknown address and a wrong password, so it reveals neither. */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('The e-mail address or password is wrong', { code: 'invalid_credentials' });
  }
}

/** Only ever given with the right password, so it tells nothing to someone guessing. */
export class AccountInactiveError extends UnauthorizedError {
  constructor() {
    super('This account has been deactivated; ask an admin of your company', { code: 'account_inactive' });
  }
}

/** 429 with Retry-After (set by RetryAfterFilter): too many failed sign-ins for this address. */
export class LoginLockedError extends DomainError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  protected readonly defaultCode = 'login_locked';

  constructor(readonly retryAfterS: number) {
    super(`Too many failed sign-ins for this e-mail address; try again in ${retryAfterS} seconds`);
  }
}

/** Unknown, expired, revoked or already used; the client must sign in again. */
export class InvalidRefreshTokenError extends UnauthorizedError {
  constructor() {
    super('The refresh token is not valid; sign in again', { code: 'invalid_refresh_token' });
  }
}
