import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * The gateway vouches for the caller's identity with an HMAC over it, so a service port reached
 * directly (or a client forging `x-tenant-id`) gets nothing. Every service and the gateway share
 * `INTERNAL_AUTH_SECRET`; a credential is valid for a short window to limit replays.
 */
export const INTERNAL_AUTH_HEADER = 'x-internal-auth';
const VERSION = 'v1';
/** Accepted age (and clock skew) of a credential. */
export const INTERNAL_CREDENTIAL_MAX_AGE_MS = 60_000;

/** Who the gateway says is calling; every field is absent for anonymous (public-route) calls. */
export interface InternalIdentity {
  tenantId?: string;
  userId?: string;
  roles: readonly string[];
  teamIds: readonly string[];
}

export const ANONYMOUS_IDENTITY: InternalIdentity = Object.freeze({ roles: [], teamIds: [] });

/** The identity headers plus the credential that binds them, ready to forward to a service. */
export function signInternalCredential(secret: string, identity: InternalIdentity, now = Date.now()): OutgoingHttpHeaders {
  const headers: Record<string, string> = {};
  if (identity.tenantId) headers['x-tenant-id'] = identity.tenantId;
  if (identity.userId) headers['x-user-id'] = identity.userId;
  if (identity.roles.length > 0) headers['x-roles'] = identity.roles.join(',');
  if (identity.teamIds.length > 0) headers['x-team-ids'] = identity.teamIds.join(',');
  const issuedAt = String(now);
  headers[INTERNAL_AUTH_HEADER] = `${VERSION}.${issuedAt}.${signature(secret, issuedAt, headers)}`;
  return headers;
}

export type CredentialCheck = { valid: true } | { valid: false; reason: string };

/** Whether the request's identity headers carry a fresh, untampered gateway credential. */
export function verifyInternalCredential(secret: string, headers: IncomingHttpHeaders, now = Date.now()): CredentialCheck {
  const credential = single(headers[INTERNAL_AUTH_HEADER]);
  if (!credential) return { valid: false, reason: 'missing internal credential' };
  const [version, issuedAt, mac, ...rest] = credential.split('.');
  if (version !== VERSION || !issuedAt || !mac || rest.length > 0 || !/^\d{1,16}$/.test(issuedAt)) return { valid: false, reason: 'malformed internal credential' };
  if (Math.abs(now - Number(issuedAt)) > INTERNAL_CREDENTIAL_MAX_AGE_MS) return { valid: false, reason: 'expired internal credential' };
  const expected = Buffer.from(signature(secret, issuedAt, headers));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'invalid internal credential' };
  return { valid: true };
}

function signature(secret: string, issuedAt: string, headers: IncomingHttpHeaders | Record<string, string>): string {
  const payload = [VERSION, issuedAt, ...['x-tenant-id', 'x-user-id', 'x-roles', 'x-team-ids'].map((name) => single(headers[name]) ?? '')].join('\n');
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function single(value: string | string[] | number | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value === undefined ? undefined : String(value);
}
