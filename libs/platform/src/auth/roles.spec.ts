import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, hasPermission, isRole, permissionsOf } from './roles';

describe('roles and permissions', () => {
  it('gives admin every permission', () => {
    expect(permissionsOf(['admin'])).toEqual([...PERMISSIONS]);
  });

  it('lets a manager edit teams but not users, and nobody else either', () => {
    expect(hasPermission(['manager'], 'teams:write')).toBe(true);
    expect(hasPermission(['manager'], 'users:write')).toBe(false);
    for (const role of ['rep', 'agent', 'marketer', 'analyst']) {
      expect(hasPermission([role], 'teams:write') || hasPermission([role], 'users:write')).toBe(false);
      expect(permissionsOf([role])).toEqual(expect.arrayContaining(['api-keys:manage', 'teams:read', 'users:read', 'customers:read']));
    }
  });

  it('lets reps and managers change customers, and only managers delete them', () => {
    expect(permissionsOf(['rep']).sort()).toEqual(['api-keys:manage', 'customers:read', 'customers:write', 'kb:read', 'sales:read', 'sales:write', 'teams:read', 'tickets:read', 'users:read']);
    expect(permissionsOf(['agent']).sort()).toEqual(['api-keys:manage', 'customers:read', 'kb:read', 'kb:write', 'teams:read', 'tickets:read', 'tickets:write', 'users:read']);
    for (const role of ['marketer', 'analyst']) {
      expect(permissionsOf([role]).sort()).toEqual(['api-keys:manage', 'customers:read', 'kb:read', 'sales:read', 'teams:read', 'tickets:read', 'users:read']);
    }
    expect(ROLES.filter((role) => hasPermission([role], 'customers:delete')).sort()).toEqual(['admin', 'manager']);
    expect(ROLES.filter((role) => hasPermission([role], 'customers:import')).sort()).toEqual(['admin', 'manager']);
  });

  it('lets reps and managers sell, and only managers set up sales and hand work over', () => {
    expect(ROLES.filter((role) => hasPermission([role], 'sales:write')).sort()).toEqual(['admin', 'manager', 'rep']);
    expect(ROLES.filter((role) => hasPermission([role], 'sales:configure')).sort()).toEqual(['admin', 'manager']);
    expect(ROLES.filter((role) => hasPermission([role], 'sales:handover')).sort()).toEqual(['admin', 'manager']);
  });

  it('lets agents and managers work tickets and write the knowledge base, and only managers set up ticketing', () => {
    expect(ROLES.filter((role) => hasPermission([role], 'tickets:write')).sort()).toEqual(['admin', 'agent', 'manager']);
    expect(ROLES.filter((role) => hasPermission([role], 'kb:write')).sort()).toEqual(['admin', 'agent', 'manager']);
    expect(ROLES.filter((role) => hasPermission([role], 'ticketing:configure')).sort()).toEqual(['admin', 'manager']);
    expect(ROLES.filter((role) => hasPermission([role], 'tickets:read'))).toEqual([...ROLES]);
    expect(ROLES.filter((role) => hasPermission([role], 'kb:read'))).toEqual([...ROLES]);
  });

  it('keeps PII, audit, role assignment and privacy requests to admins', () => {
    for (const role of ROLES.filter((name) => name !== 'admin')) {
      expect(ROLE_PERMISSIONS[role]).not.toEqual(expect.arrayContaining(['pii:read']));
      expect(hasPermission([role], 'audit:read') || hasPermission([role], 'roles:assign')).toBe(false);
      expect(hasPermission([role], 'privacy:manage')).toBe(false);
    }
    expect(hasPermission(['admin'], 'privacy:manage')).toBe(true);
  });

  it('combines roles and ignores unknown ones', () => {
    expect(hasPermission(['rep', 'manager'], 'teams:write')).toBe(true);
    expect(hasPermission(['superuser', 'system'], 'users:read')).toBe(false);
    expect(hasPermission([], 'users:read')).toBe(false);
    expect(isRole('analyst')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
