import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Where a request came from, for the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const MAX_USER_AGENT = 512;

/**
 * The gateway appends the address it was called from to `X-Forwarded-For`, so the last entry is the
 * one no client can forge (entries before it are whatever the client sent). Without a gateway hop,
 * the socket's peer.
 */
export function clientInfoOf(req: IncomingMessage): ClientInfo {
  const forwarded = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((entry) => entry.trim());
  const ip = chain.filter(Boolean).pop() ?? req.socket.remoteAddress ?? null;
  const userAgent = req.headers['user-agent']?.slice(0, MAX_USER_AGENT) ?? null;
  return { ip, userAgent };
}

/** `@Client() client: ClientInfo` in a controller method. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => clientInfoOf(context.switchToHttp().getRequest<IncomingMessage>()));
