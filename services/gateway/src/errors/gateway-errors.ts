import { DomainError, ServiceUnavailableError, UnauthenticatedError, type DomainErrorOptions } from '@crm/platform/errors';

/** Extra response headers a refusal carries (challenges, retry hints); the proxy sets them before the problem body. */
export interface ProblemHeaders {
  readonly headers: Readonly<Record<string, string>>;
}

/** Only the gateway's own refusals: other errors' `headers` (an HTTP client's, say) are not for the client. */
export function hasProblemHeaders(error: unknown): error is DomainError & ProblemHeaders {
  if (!(error instanceof DomainError)) return false;
  const headers = (error as Partial<ProblemHeaders>).headers;
  return typeof headers === 'object' && headers !== null;
}

/** RFC 6750 §3: the challenge tells the client which scheme to use and, for a bad token, why it failed. */
function bearerChallenge(error?: string, description?: string): string {
  if (!error) return 'Bearer realm="crm"';
  return `Bearer realm="crm", error="${error}", error_description="${description}"`;
}

/** 401: the route needs credentials and the request carries none (or an unsupported scheme). */
export class CredentialsRequiredError extends UnauthenticatedError implements ProblemHeaders {
  readonly headers = { 'www-authenticate': bearerChallenge() };

  constructor(detail = 'This route needs an Authorization: Bearer access token or an X-API-Key header') {
    super(detail, { code: 'unauthenticated' });
  }
}

/** 401: the bearer token is malformed, tampered with, expired, for another audience or signed by an unknown key. */
export class InvalidTokenError extends UnauthenticatedError implements ProblemHeaders {
  readonly headers: Readonly<Record<string, string>>;

  constructor(detail: string, options: DomainErrorOptions = {}) {
    super(detail, { ...options, code: 'invalid_token' });
    this.headers = { 'www-authenticate': bearerChallenge('invalid_token', detail) };
  }
}

/** 401: identity does not know the API key, or it is revoked or expired, or its user is inactive. */
export class InvalidApiKeyError extends UnauthenticatedError implements ProblemHeaders {
  readonly headers = { 'www-authenticate': bearerChallenge() };

  constructor(detail = 'The API key is not valid') {
    super(detail, { code: 'invalid_api_key' });
  }
}

/**
 * 503: credentials cannot be checked because identity is down, not deployed or misbehaving. Not a 401:
 * the caller's credentials may be fine, and a client that logs out on 401 should not do so now.
 */
export class IdentityUnavailableError extends ServiceUnavailableError implements ProblemHeaders {
  readonly headers = { 'retry-after': '5' };

  constructor(detail = 'Credentials cannot be checked right now because the identity service is not reachable', options: DomainErrorOptions = {}) {
    super(detail, { code: 'identity_unavailable', ...options });
  }
}

/** 429: a rate limit is used up; `Retry-After` says when the next request will be accepted. */
export class TooManyRequestsError extends DomainError implements ProblemHeaders {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  protected readonly defaultCode = 'rate_limited';
  readonly headers: Readonly<Record<string, string>>;

  constructor(detail: string, limitPerMinute: number, retryAfterMs: number) {
    super(detail);
    const retryAfterS = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    // draft-ietf-httpapi-ratelimit-headers: the quota, nothing left, and when it allows the next request.
    this.headers = {
      'retry-after': retryAfterS,
      'ratelimit-limit': String(limitPerMinute),
      'ratelimit-remaining': '0',
      'ratelimit-reset': retryAfterS,
      'ratelimit-policy': `${limitPerMinute};w=60`,
    };
  }
}
