import { DomainError, type DomainErrorOptions, type FieldError } from './domain-error';

/** 400: the request is syntactically or semantically invalid as a whole. */
export class BadRequestError extends DomainError {
  readonly status = 400;
  readonly title = 'Bad Request';
  protected readonly defaultCode = 'bad_request';
}

/** 400: one or more fields failed validation; `errors` lists them. */
export class ValidationFailedError extends DomainError {
  readonly status = 400;
  readonly title = 'Validation Failed';
  protected readonly defaultCode = 'validation_failed';

  constructor(errors: FieldError[], detail = 'The request contains invalid fields', options: Omit<DomainErrorOptions, 'errors'> = {}) {
    super(detail, { ...options, errors });
  }
}

/** 401: no valid credentials; clients should authenticate and retry. */
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly defaultCode = 'unauthorized';
}

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
  protected readonly defaultCode = 'forbidden';
}

/** 404: the resource does not exist for this tenant (or the caller may not know it exists). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not Found';
  protected readonly defaultCode = 'not_found';
}

/** 409: the request conflicts with the current state (duplicate, illegal state transition). */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly defaultCode = 'conflict';
}

/** 412: an `If-Match` version no longer matches. */
export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly title = 'Precondition Failed';
  protected readonly defaultCode = 'precondition_failed';
}

/** 413: the request body is larger than the service accepts. */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Content Too Large';
  protected readonly defaultCode = 'payload_too_large';
}

/** 415: the request body's media type or encoding is not supported. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly title = 'Unsupported Media Type';
  protected readonly defaultCode = 'unsupported_media_type';
}

/** 422: well-formed and valid fields, but a business rule refuses the request. */
export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly title = 'Unprocessable Content';
  protected readonly defaultCode = 'unprocessable';
}

/** 503: a dependency is unavailable; the request may succeed later. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
  protected readonly defaultCode = 'service_unavailable';
}

/** 504: a dependency did not answer in time. */
export class GatewayTimeoutError extends DomainError {
  readonly status = 504;
  readonly title = 'Gateway Timeout';
  protected readonly defaultCode = 'gateway_timeout';
}

/** 502: a dependency answered with something unusable. */
export class BadGatewayError extends DomainError {
  readonly status = 502;
  readonly title = 'Bad Gateway';
  protected readonly defaultCode = 'bad_gateway';
}
