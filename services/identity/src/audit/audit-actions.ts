/** Every action the audit log records; the names are part of the API (`GET /audit-log?action=`). */
export const AUDIT_ACTIONS = [
  'tenant.created',
  'auth.signup',
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.login_locked',
  'auth.logout',
  'auth.refresh_token_reused',
  'user.created',
  'user.updated',
  'user.roles_changed',
  'user.deactivated',
  'user.reactivated',
  'team.created',
  'team.updated',
  'api_key.created',
  'api_key.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditTargetType = 'tenant' | 'user' | 'team' | 'api_key';
