import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { MissingTenantError } from '../database/request-context';
import { fromBodyParserError } from './body-parser-errors';
import { DomainError, type FieldError } from './domain-error';
import { problemType, type ProblemDetails } from './problem-details';

export interface ProblemContext {
  /** The request path (without query string) the problem occurred on. */
  instance?: string;
  requestId?: string;
}

export interface MappedProblem {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** A bug or an outage rather than a caller mistake: log it with its stack. */
  unexpected: boolean;
}

const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred. Quote the request id when reporting it.';
const AUTHENTICATE_HEADER = { 'www-authenticate': 'Bearer realm="crm"' };

/** Errors from http-errors (body-parser and other Express middleware) say whether their message is safe. */
interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/** Turns anything thrown while serving a request into the problem details the client receives. */
export function toProblemDetails(thrown: unknown, context: ProblemContext = {}): MappedProblem {
  const error = fromBodyParserError(thrown) ?? thrown;
  if (error instanceof DomainError) {
    // RFC 9110: a 401 carries a challenge saying how to authenticate.
    const headers = error.status === 401 ? AUTHENTICATE_HEADER : undefined;
    return build(error.status, error.code, error.detail, context, { title: error.title, errors: error.errors, headers });
  }
  // Tenant-scoped operations get their tenant from the identity the gateway verified; a request
  // without one is unauthenticated as far as tenant data is concerned, hence 401 rather than 400.
  if (error instanceof MissingTenantError) {
    return build(401, 'tenant_required', error.message, context, { headers: AUTHENTICATE_HEADER });
  }
  if (error instanceof HttpException) return fromHttpException(error, context);
  const httpError = exposedHttpError(error as HttpErrorLike | undefined, context);
  if (httpError) return httpError;
  return build(500, 'internal_error', INTERNAL_ERROR_DETAIL, context, { unexpected: true });
}

function fromHttpException(exception: HttpException, context: ProblemContext): MappedProblem {
  const status = exception.getStatus();
  if (status === 500) return build(500, 'internal_error', INTERNAL_ERROR_DETAIL, context, { unexpected: true });
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const errors = Array.isArray(message) ? message.map((entry): FieldError => ({ message: String(entry) })) : undefined;
  const detail = typeof message === 'string' ? message : errors ? 'The request contains invalid fields' : exception.message;
  return build(status, codeForStatus(status), detail, context, {
    errors,
    headers: status === 401 ? AUTHENTICATE_HEADER : undefined,
  });
}

function exposedHttpError(error: HttpErrorLike | undefined, context: ProblemContext): MappedProblem | undefined {
  if (!error || typeof error !== 'object' || error.expose !== true) return undefined;
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return build(status, codeForStatus(status), error.message ?? STATUS_CODES[status] ?? 'Bad Request', context);
}

function build(
  status: number,
  code: string,
  detail: string,
  context: ProblemContext,
  extra: { title?: string; errors?: FieldError[]; headers?: Record<string, string>; unexpected?: boolean } = {},
): MappedProblem {
  const problem: ProblemDetails = {
    type: problemType(code),
    title: extra.title ?? STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: context.instance,
    code,
    ...(extra.errors ? { errors: extra.errors } : {}),
    requestId: context.requestId,
  };
  return { problem, headers: extra.headers ?? {}, unexpected: extra.unexpected ?? false };
}

/** `Not Found` → `not_found`, for errors that carry only an HTTP status. */
export function codeForStatus(status: number): string {
  const phrase = STATUS_CODES[status] ?? `status ${status}`;
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
