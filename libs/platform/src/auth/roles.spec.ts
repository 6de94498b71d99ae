import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, hasPermission, isRole, permissionsOf } from './roles';

describe('roles and permissions', () => {
  it('gives admin every permission', () => {
    expect(permissionsOf(['admin'])).toEqual([...PERMISSIONS]);
  });

  it('lets a manager edit teams but not users, and nobody else either', () => {
    expect(hasPermission(['manager'], 'teams:write')).toBe(true);
    expect(hasPermission(['manager'], 'users:write')).toBe(false);
    for (const role of ['rep', 'agent', 'marketer', 'analyst']) {
      expect(permissionsOf([role]).sort()).toEqual(['api-keys:manage', 'teams:read', 'users:read']);
    }
  });

  it('keeps PII, audit and role assignment to admins', () => {
    for (const role of ROLES.filter((name) => name !== 'admin')) {
      expect(ROLE_PERMISSIONS[role]).not.toEqual(expect.arrayContaining(['pii:read']));
      expect(hasPermission([role], 'audit:read') || hasPermission([role], 'roles:assign')).toBe(false);
    }
  });

  it('combines roles and ignores unknown ones', () => {
    expect(hasPermission(['rep', 'manager'], 'teams:write')).toBe(true);
    expect(hasPermission(['superuser', 'system'], 'users:read')).toBe(false);
    expect(hasPermission([], 'users:read')).toBe(false);
    expect(isRole('analyst')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
