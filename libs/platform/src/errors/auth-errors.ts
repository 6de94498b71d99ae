import { DomainError, type DomainErrorOptions } from './domain-error';
import { ForbiddenError } from './standard-errors';

/** 401: the route needs a signed-in user (tenant and user from the gateway) and the request has none. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly defaultCode = 'unauthenticated';

  constructor(detail = 'This operation needs an authenticated user', options?: DomainErrorOptions) {
    super(detail, options);
  }
}

/**
 * 403: the caller is known but their roles lack a permission the route requires. Records outside the
 * caller's tenant or ownership scope are never answered with this: they are not found (404), so their
 * existence is not revealed.
 */
export class PermissionDeniedError extends ForbiddenError {
  constructor(detail = 'Your roles do not allow this operation', options?: DomainErrorOptions) {
    super(detail, options);
  }
}

/**
 * 401: a service was called without a valid credential from the gateway, e.g. directly on its port.
 * Its identity headers, if any, were ignored.
 */
export class InternalCredentialRequiredError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly defaultCode = 'internal_credential_required';

  constructor(reason: string) {
    super(`This service only answers requests forwarded by the API gateway (${reason})`);
  }
}
