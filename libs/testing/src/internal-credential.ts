import { signInternalCredential, type InternalIdentity } from '@crm/platform/auth';

/**
 * The headers the gateway would add for `identity`, signed with this run's INTERNAL_AUTH_SECRET (the
 * jest global setup sets one): for tests that call a service directly. Anonymous when empty.
 */
export function internalCredentialHeaders(identity: Partial<InternalIdentity> = {}): Record<string, string> {
  const secret = process.env.INTERNAL_AUTH_SECRET;
  if (!secret) throw new Error('INTERNAL_AUTH_SECRET is not set: run through jest (its global setup sets one) or set it');
  return signInternalCredential(secret, { roles: [], teamIds: [], ...identity }) as Record<string, string>;
}
