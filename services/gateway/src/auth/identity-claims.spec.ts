import { identityFromClaims } from './identity-claims';

describe('identityFromClaims', () => {
  it('maps tid, sub, roles and teams', () => {
    expect(identityFromClaims({ tid: 't-1', sub: 'u-1', roles: ['rep'], teams: ['team-1', 'team-2'] })).toEqual({
      tenantId: 't-1',
      userId: 'u-1',
      roles: ['rep'],
      teamIds: ['team-1', 'team-2'],
    });
    expect(identityFromClaims({ tid: 't-1', sub: 'u-1' })).toEqual({ tenantId: 't-1', userId: 'u-1', roles: [], teamIds: [] });
  });

  it.each([
    ['no tenant', { sub: 'u-1' }],
    ['no user', { tid: 't-1' }],
    ['a role with a comma', { tid: 't-1', sub: 'u-1', roles: ['rep,admin'] }],
    ['roles that are not a list', { tid: 't-1', sub: 'u-1', roles: 'admin' }],
    ['a team id with spaces', { tid: 't-1', sub: 'u-1', teams: ['a b'] }],
    ['a numeric tenant', { tid: 7, sub: 'u-1' }],
  ])('refuses claims with %s', (_case, claims) => {
    expect(identityFromClaims(claims)).toBeUndefined();
  });
});
