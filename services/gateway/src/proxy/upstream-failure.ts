import { BadGatewayError, BadRequestError, GatewayTimeoutError, ServiceUnavailableError, type DomainError } from '@crm/platform/errors';
import type { UpstreamService } from '../routes/route-table';

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

export function notDeployed(service: UpstreamService): DomainError {
  return new ServiceUnavailableError(`The ${service} service is not deployed`);
}

/** What the client is told when forwarding fails before the upstream's response started. */
export function upstreamFailure(service: UpstreamService, error: unknown, timeoutMs: number): DomainError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    if (TIMEOUTS.has(code)) return new GatewayTimeoutError(`The ${service} service did not answer within ${timeoutMs} ms`);
    if (UNREACHABLE.has(code)) return new ServiceUnavailableError(`The ${service} service is not reachable`);
    if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') return new BadRequestError('The request body does not match its Content-Length');
  }
  return new BadGatewayError(`The ${service} service could not be reached correctly`, { cause: error });
}

const CLIENT_GONE = new Set(['UND_ERR_ABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR']);

/** The client went away mid-request; there is nobody left to answer. */
export function isClientAbort(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return (typeof code === 'string' && CLIENT_GONE.has(code)) || name === 'AbortError';
}
