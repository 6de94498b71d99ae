import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { childTraceparent, REQUEST_ID_HEADER, type RequestContext } from '@crm/platform/observability';
import type { SignedIdentityHeaders } from '../auth/caller';
import { isInternalHeader } from './internal-headers';

/**
 * Connection-level headers (RFC 9110 §7.6.1) describe one hop and are never forwarded. `host` is set by
 * the HTTP client for the upstream, `expect` is handled by this hop, and the ids are replaced below.
 * The client's credentials stop here too: the gateway has checked them and services act on the signed
 * identity alone, so no service needs (or could leak, log or replay) a user's token or API key.
 */
const NOT_FORWARDED_REQUEST: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'authorization',
  'x-api-key',
  REQUEST_ID_HEADER,
  'traceparent',
]);

const NOT_FORWARDED_RESPONSE: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** What the upstream receives: the client's end-to-end headers, the vouched identity, ids and forwarding info. */
export function forwardedRequestHeaders(req: IncomingMessage, context: RequestContext, identity: SignedIdentityHeaders): OutgoingHttpHeaders {
  const incoming = req.headers;
  const listedInConnection = connectionTokens(incoming.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    if (NOT_FORWARDED_REQUEST.has(name) || isInternalHeader(name) || listedInConnection?.has(name)) continue;
    headers[name] = incoming[name];
  }
  for (const name in identity) headers[name] = identity[name];
  headers[REQUEST_ID_HEADER] = context.requestId;
  if (context.traceparent) headers.traceparent = childTraceparent(context.traceparent);
  headers['x-forwarded-for'] = appendForwardedFor(incoming['x-forwarded-for'], req.socket.remoteAddress);
  headers['x-forwarded-proto'] = incoming['x-forwarded-proto'] ?? ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  const host = incoming['x-forwarded-host'] ?? incoming.host;
  if (host) headers['x-forwarded-host'] = host;
  return headers;
}

/**
 * The upstream's response headers (undici's raw name/value buffers) as a flat list for `writeHead`,
 * minus the ones that describe its connection to the gateway. Repeated headers such as set-cookie stay.
 */
export function forwardedResponseHeaders(raw: readonly Buffer[]): string[] {
  const headers: string[] = [];
  let listedInConnection: Set<string> | undefined;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index].toString('latin1').toLowerCase();
    if (name === 'connection') listedInConnection = connectionTokens(raw[index + 1].toString('latin1'));
    if (NOT_FORWARDED_RESPONSE.has(name)) continue;
    headers.push(name, raw[index + 1].toString('latin1'));
  }
  return listedInConnection ? withoutListed(headers, listedInConnection) : headers;
}

function withoutListed(headers: string[], listed: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let index = 0; index < headers.length; index += 2) {
    if (!listed.has(headers[index])) kept.push(headers[index], headers[index + 1]);
  }
  return kept;
}

/** Header names a `Connection` header declares hop-by-hop (besides the usual keep-alive/close). */
function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (!value || value === 'keep-alive' || value === 'close') return undefined;
  const joined = Array.isArray(value) ? value.join(',') : value;
  const tokens = joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token && token !== 'keep-alive' && token !== 'close');
  return tokens.length > 0 ? new Set(tokens) : undefined;
}

function appendForwardedFor(existing: string | string[] | undefined, address: string | undefined): string {
  const previous = Array.isArray(existing) ? existing.join(', ') : existing;
  const client = address ?? 'unknown';
  return previous ? `${previous}, ${client}` : client;
}
