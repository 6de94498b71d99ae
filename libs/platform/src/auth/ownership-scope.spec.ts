import { runWithContext } from '../database/request-context';
import { UnauthenticatedError } from '../errors/auth-errors';
import { isInScope, ownershipScope } from './ownership-scope';
import { currentPrincipal, principal } from './principal';

const context = { requestId: 'r-1', tenantId: 't-1', userId: 'u-1', teamIds: ['north'] };

describe('ownershipScope', () => {
  it('is the tenant for an admin, the teams for a manager and own records for everyone else', () => {
    expect(ownershipScope({ ...context, roles: ['admin', 'manager'] })).toEqual({ kind: 'tenant' });
    expect(ownershipScope({ ...context, roles: ['rep', 'manager'] })).toEqual({ kind: 'team', userId: 'u-1', teamIds: ['north'] });
    for (const role of ['rep', 'agent', 'marketer', 'analyst', 'unknown']) {
      expect(ownershipScope({ ...context, roles: [role] })).toEqual({ kind: 'own', userId: 'u-1' });
    }
  });

  it('reads the current request and needs a user', () => {
    expect(runWithContext({ ...context, roles: ['rep'] }, () => ownershipScope())).toEqual({ kind: 'own', userId: 'u-1' });
    expect(() => runWithContext({ requestId: 'r-2', tenantId: 't-1', roles: ['admin'], teamIds: [] }, () => ownershipScope())).toThrow(UnauthenticatedError);
    expect(() => ownershipScope()).toThrow(UnauthenticatedError);
  });
});

describe('isInScope', () => {
  it('applies the same rule to a loaded record', () => {
    const own = { kind: 'own', userId: 'u-1' } as const;
    const team = { kind: 'team', userId: 'u-1', teamIds: ['north'] } as const;

    expect(isInScope({ kind: 'tenant' }, null)).toBe(true);
    expect(isInScope(own, 'u-1')).toBe(true);
    expect(isInScope(own, 'u-2', ['north'])).toBe(false);
    expect(isInScope(team, 'u-1')).toBe(true);
    expect(isInScope(team, 'u-2', ['south', 'north'])).toBe(true);
    expect(isInScope(team, 'u-3', ['south'])).toBe(false);
    expect(isInScope(team, null, ['north'])).toBe(false);
    expect(isInScope(own, undefined)).toBe(false);
  });
});

describe('principal', () => {
  it('is the tenant, user, known roles and teams of the request', () => {
    const found = runWithContext({ ...context, roles: ['rep', 'system'] }, () => principal());

    expect(found).toEqual({ tenantId: 't-1', userId: 'u-1', roles: ['rep'], teamIds: ['north'] });
  });

  it('is absent for anonymous calls', () => {
    const anonymous = { requestId: 'r-3', roles: [], teamIds: [] };

    expect(runWithContext(anonymous, () => currentPrincipal())).toBeUndefined();
    expect(() => runWithContext({ ...anonymous, userId: 'u-1' }, () => principal())).toThrow(UnauthenticatedError);
  });
});
