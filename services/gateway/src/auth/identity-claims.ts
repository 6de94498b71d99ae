import type { InternalIdentity } from '@crm/platform/auth';

/**
 * What services accept in identity headers (see requestContextFromHeaders): no whitespace or commas,
 * since roles and teams travel as comma lists, and at most 128 characters.
 */
const IDENTIFIER = /^[^\s,]{1,128}$/;
const MAX_LIST_LENGTH = 1_000;

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

/** A list of identifiers, or undefined when the value is anything else. Absent means empty. */
export function identifierList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH || !value.every(isIdentifier)) return undefined;
  return value as string[];
}

/** The identity an access token's claims describe (tid, sub, roles, teams), or undefined if they are unusable. */
export function identityFromClaims(claims: Record<string, unknown>): InternalIdentity | undefined {
  const roles = identifierList(claims.roles);
  const teamIds = identifierList(claims.teams);
  if (!isIdentifier(claims.tid) || !isIdentifier(claims.sub) || !roles || !teamIds) return undefined;
  return { tenantId: claims.tid, userId: claims.sub, roles, teamIds };
}
