import {
  ANONYMOUS_IDENTITY,
  INTERNAL_AUTH_HEADER,
  INTERNAL_CREDENTIAL_MAX_AGE_MS,
  signInternalCredential,
  verifyInternalCredential,
  type InternalIdentity,
} from './internal-credential';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const NOW = 1_800_000_000_000;
/** The headers as a service receives them. */
const sign = (secret: string, who: InternalIdentity, now: number): Record<string, string> => signInternalCredential(secret, who, now) as Record<string, string>;
const identity = { tenantId: '5a1c1f2e-0000-4000-8000-000000000001', userId: 'u-1', roles: ['rep', 'manager'], teamIds: ['north', 'south'] };

describe('internal credential', () => {
  it('carries the identity headers and verifies with the same secret', () => {
    const headers = sign(SECRET, identity, NOW);

    expect(headers).toMatchObject({ 'x-tenant-id': identity.tenantId, 'x-user-id': 'u-1', 'x-roles': 'rep,manager', 'x-team-ids': 'north,south' });
    expect(headers[INTERNAL_AUTH_HEADER]).toMatch(new RegExp(`^v1\\.${NOW}\\.[\\w-]{43}$`));
    expect(verifyInternalCredential(SECRET, headers, NOW + 1_000)).toEqual({ valid: true });
  });

  it('signs anonymous calls without identity headers', () => {
    const headers = sign(SECRET, ANONYMOUS_IDENTITY, NOW);

    expect(Object.keys(headers)).toEqual([INTERNAL_AUTH_HEADER]);
    expect(verifyInternalCredential(SECRET, headers, NOW)).toEqual({ valid: true });
  });

  it('refuses a credential whose identity headers were changed, added or removed', () => {
    const headers = sign(SECRET, identity, NOW);
    const anonymous = sign(SECRET, ANONYMOUS_IDENTITY, NOW);
    const { 'x-team-ids': _dropped, ...withoutTeams } = headers;

    for (const tampered of [
      { ...headers, 'x-tenant-id': '5a1c1f2e-0000-4000-8000-000000000002' },
      { ...headers, 'x-roles': 'admin' },
      withoutTeams,
      { ...anonymous, 'x-tenant-id': identity.tenantId, 'x-user-id': 'u-1' },
    ]) {
      expect(verifyInternalCredential(SECRET, tampered, NOW)).toEqual({ valid: false, reason: 'invalid internal credential' });
    }
  });

  it('refuses a tampered signature or one made with another secret', () => {
    const headers = sign(SECRET, identity, NOW);
    const credential = String(headers[INTERNAL_AUTH_HEADER]);
    const flipped = credential.slice(0, -1) + (credential.endsWith('A') ? 'B' : 'A');

    expect(verifyInternalCredential(SECRET, { ...headers, [INTERNAL_AUTH_HEADER]: flipped }, NOW)).toEqual({ valid: false, reason: 'invalid internal credential' });
    expect(verifyInternalCredential(SECRET, sign('another-secret-of-at-least-32-characters', identity, NOW), NOW)).toMatchObject({ valid: false });
  });

  it('refuses an expired credential, and one issued too far in the future', () => {
    const headers = sign(SECRET, identity, NOW);

    expect(verifyInternalCredential(SECRET, headers, NOW + INTERNAL_CREDENTIAL_MAX_AGE_MS)).toEqual({ valid: true });
    expect(verifyInternalCredential(SECRET, headers, NOW + INTERNAL_CREDENTIAL_MAX_AGE_MS + 1)).toEqual({ valid: false, reason: 'expired internal credential' });
    expect(verifyInternalCredential(SECRET, headers, NOW - INTERNAL_CREDENTIAL_MAX_AGE_MS - 1)).toEqual({ valid: false, reason: 'expired internal credential' });
  });

  it('refuses missing, malformed and repeated credentials', () => {
    const { [INTERNAL_AUTH_HEADER]: credential, ...identityOnly } = sign(SECRET, identity, NOW);

    expect(verifyInternalCredential(SECRET, identityOnly, NOW)).toEqual({ valid: false, reason: 'missing internal credential' });
    for (const malformed of ['v1', 'v2.1.abc', `v1.${NOW}`, `v1.${NOW}.abc.def`, 'v1.soon.abc']) {
      expect(verifyInternalCredential(SECRET, { ...identityOnly, [INTERNAL_AUTH_HEADER]: malformed }, NOW)).toEqual({ valid: false, reason: 'malformed internal credential' });
    }
    expect(verifyInternalCredential(SECRET, { ...identityOnly, [INTERNAL_AUTH_HEADER]: [String(credential), String(credential)] }, NOW)).toMatchObject({ valid: false });
  });
});
