import type { IncomingMessage } from 'node:http';

/**
 * The client's IP for per-IP limits. With `trustedProxies` = 0 that is the socket's peer. Behind N
 * trusted proxies it is the N-th `X-Forwarded-For` entry from the right: each proxy appends the address
 * it was connected from, so entries further left were written by the client and may be forged.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = withoutIpv4Mapping(req.socket.remoteAddress ?? 'unknown');
  if (trustedProxies === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  if (!header) return peer;
  const hops = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  if (hops.length === 0) return peer;
  return withoutIpv4Mapping(hops[Math.max(0, hops.length - trustedProxies)]);
}

/** `::ffff:203.0.113.7` and `203.0.113.7` are the same client (dual-stack sockets). */
function withoutIpv4Mapping(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
