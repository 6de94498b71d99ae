/**
 * Roles and what each may do. Permissions are `<resource>:<action>`; this table is the one place that
 * grants them, so a service adding a resource adds its permissions here and to the roles that get them.
 */
export const ROLES = ['admin', 'manager', 'rep', 'agent', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:read',
  'users:write',
  'teams:read',
  'teams:write',
  'api-keys:manage',
  'audit:read',
  'roles:assign',
  'pii:read',
  'customers:read',
  'customers:write',
  'customers:delete',
  // Bulk imports of customers from files (data migrations): many customers at once, in the background.
  'customers:import',
  'custom-fields:manage',
  // Privacy requests (PIPL/GDPR export and erasure of a customer's data) and what a tenant collects.
  'privacy:manage',
  // Sales: leads, opportunities, orders, contracts, payments, activities and plans (whose records: the ownership scope).
  'sales:read',
  'sales:write',
  // Sales set-up of the tenant: pipelines, scoring and assignment rules, quotas, web forms, exchange rates, automation rules, partners.
  'sales:configure',
  // Handing a leaving user's work to others.
  'sales:handover',
  // Ticketing: tickets, comments, call logs (every ticket of the tenant: a service desk works from shared queues) and its reports.
  'tickets:read',
  'tickets:write',
  // Ticketing set-up of the tenant: ticket types, routing rules, agent capacity, SLA policies and business calendars, the support portal.
  'ticketing:configure',
  // Knowledge base: everyone reads it; agents and managers write and publish articles.
  'kb:read',
  'kb:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What every signed-in user may do: see colleagues and teams, manage their own API keys, read the knowledge base. */
const EVERYONE: readonly Permission[] = ['users:read', 'teams:read', 'api-keys:manage', 'kb:read'];

/**
 * Customers: sellers (reps, managers) keep them; agents, marketers and analysts read them. Which
 * customers is the ownership scope's business (owner, team, tenant), not the permission's.
 */
const CUSTOMER_READER: readonly Permission[] = ['customers:read'];
const CUSTOMER_KEEPER: readonly Permission[] = ['customers:read', 'customers:write'];

/** Sales: reps and managers sell; analysts and marketers read the pipeline (reports, lead sources). */
const SELLER: readonly Permission[] = ['sales:read', 'sales:write'];

/** Ticketing: agents and managers work tickets and write the knowledge base; sellers, marketers and analysts see their customers' tickets and the reports. */
const SERVICE_DESK: readonly Permission[] = ['tickets:read', 'tickets:write', 'kb:write'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  admin: PERMISSIONS,
  // teams:write covers the manager's own teams; the service checks which team.
  manager: [...EVERYONE, 'teams:write', ...CUSTOMER_KEEPER, 'customers:delete', 'customers:import', ...SELLER, 'sales:configure', 'sales:handover', ...SERVICE_DESK, 'ticketing:configure'],
  rep: [...EVERYONE, ...CUSTOMER_KEEPER, ...SELLER, 'tickets:read'],
  agent: [...EVERYONE, ...CUSTOMER_READER, ...SERVICE_DESK],
  marketer: [...EVERYONE, ...CUSTOMER_READER, 'sales:read', 'tickets:read'],
  analyst: [...EVERYONE, ...CUSTOMER_READER, 'sales:read', 'tickets:read'],
});

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const GRANTS: ReadonlyMap<string, ReadonlySet<Permission>> = new Map(ROLES.map((role) => [role, new Set(ROLE_PERMISSIONS[role])]));

export function isRole(value: string): value is Role {
  return ROLE_SET.has(value);
}

/** Whether any of the roles grants the permission; unknown role names grant nothing. */
export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) => GRANTS.get(role)?.has(permission) === true);
}

/** Every permission the roles grant together. */
export function permissionsOf(roles: readonly string[]): Permission[] {
  return PERMISSIONS.filter((permission) => hasPermission(roles, permission));
}
