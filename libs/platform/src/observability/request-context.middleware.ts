import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { runWithContext, type RequestContext } from '../database/request-context';
import { acceptTraceparent, newTraceparent } from './trace-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Headers carrying the caller's identity; only the gateway may set them (it strips client copies). */
export const IDENTITY_HEADERS = ['x-tenant-id', 'x-user-id', 'x-roles', 'x-team-ids'] as const;

/** Client-chosen request ids are kept when they are safe to log and echo. */
const SAFE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const SAFE_IDENTIFIER = /^[^\s,]{1,128}$/;

export interface RequestContextOptions {
  /**
   * Whether tenant, user, roles and teams are taken from the identity headers: only once the gateway's
   * credential on them has been verified. The gateway faces clients, so it never believes them.
   */
  trustIdentityHeaders: boolean;
}

export interface RequestContextMiddlewareOptions {
  /**
   * Decides per request whether its identity headers come from the gateway (internal services pass
   * the internal-credential check). Absent: identity headers are never read (the gateway).
   */
  identityVerified?: (req: IncomingMessage) => boolean;
}

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Runs the rest of the request inside its RequestContext and echoes the request id. */
export function requestContextMiddleware(options: RequestContextMiddlewareOptions = {}): Middleware {
  const { identityVerified } = options;
  return (req, res, next) => {
    const trustIdentityHeaders = identityVerified !== undefined && identityVerified(req);
    const context = requestContextFromHeaders(req.headers, { trustIdentityHeaders });
    res.setHeader(REQUEST_ID_HEADER, context.requestId);
    runWithContext(context, next);
  };
}

export function requestContextFromHeaders(headers: IncomingHttpHeaders, options: RequestContextOptions): RequestContext {
  const requestId = accept(first(headers[REQUEST_ID_HEADER]), SAFE_REQUEST_ID) ?? randomUUID();
  const traceparent = acceptTraceparent(first(headers.traceparent)) ?? newTraceparent();
  if (!options.trustIdentityHeaders) return { requestId, traceparent, roles: [], teamIds: [] };
  return {
    requestId,
    traceparent,
    tenantId: accept(first(headers['x-tenant-id']), SAFE_IDENTIFIER),
    userId: accept(first(headers['x-user-id']), SAFE_IDENTIFIER),
    roles: commaList(headers['x-roles']),
    teamIds: commaList(headers['x-team-ids']),
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function accept(value: string | undefined, pattern: RegExp): string | undefined {
  const trimmed = value?.trim();
  return trimmed && pattern.test(trimmed) ? trimmed : undefined;
}

function commaList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => SAFE_IDENTIFIER.test(entry));
}
