import { IDENTITY_HEADERS } from '@crm/platform/observability';

const IDENTITY_HEADER_NAMES: ReadonlySet<string> = new Set(IDENTITY_HEADERS);

/**
 * Headers only the gateway may set for services: the caller's identity and anything `x-internal-*`.
 * A client that sends them is trying to impersonate someone, so they are never forwarded.
 */
export function isInternalHeader(name: string): boolean {
  return IDENTITY_HEADER_NAMES.has(name) || name.startsWith('x-internal-');
}
