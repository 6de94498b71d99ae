import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';

/** Identity headers the gateway vouches for (`x-tenant-id`, `x-user-id`, `x-roles`, `x-team-ids`). */
export type ForwardedIdentity = Readonly<Record<string, string>>;

const ANONYMOUS: ForwardedIdentity = Object.freeze({});

/**
 * Where each proxied request is authenticated before it is forwarded. Token and API-key verification
 * belongs here: it will reject unauthenticated calls and return the identity to forward. Requests are
 * forwarded without an identity today; client-supplied identity headers are always dropped by the
 * header filter (see isInternalHeader), whatever this returns.
 */
@Injectable()
export class GatewayAuth {
  authenticate(_req: IncomingMessage): ForwardedIdentity {
    return ANONYMOUS;
  }
}
