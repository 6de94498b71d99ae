import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { AuditLog } from '../audit/audit-log';
import { PasswordHasher } from '../auth/password-hasher';
import { generatePassword } from '../auth/password-policy';
import { IdentityEnv } from '../config/identity.env';
import { TenantOnboarding } from '../tenants/tenant-onboarding';
import { TenantsRepository } from '../tenants/tenants.repository';

export const DEMO_TENANT_NAME = 'Demo Company';
export const DEMO_ADMIN_EMAIL = 'admin@demo.local';
const DEMO_ADMIN_NAME = 'Demo Admin';

/**
 * First start of the embedded CRM: an empty installation gets a demo tenant and an admin, so there
 * is someone to sign in as. Later starts find a tenant and do nothing, whatever the environment says.
 */
@Injectable()
export class DemoTenant {
  private readonly logger = new Logger(DemoTenant.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TenantTransactions,
    private readonly tenants: TenantsRepository,
    private readonly onboarding: TenantOnboarding,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditLog,
    private readonly config: IdentityEnv,
  ) {}

  /** Lines for the operator: the admin's sign-in, printed once. Empty when a tenant exists. */
  async ensure(): Promise<string[]> {
    if (await this.tenants.anyExists(this.dataSource.manager)) return [];
    const email = this.config.CRM_ADMIN_EMAIL ?? DEMO_ADMIN_EMAIL;
    const password = this.config.CRM_ADMIN_PASSWORD ?? generatePassword();
    const generated = this.config.CRM_ADMIN_PASSWORD === undefined ? password : undefined;
    const passwordHash = await this.passwords.hash(password);
    const tenantId = randomUUID();
    const created = await this.transactions.runForTenant(tenantId, async (manager) => {
      // Two processes starting on one empty database: the second waits, then finds the first's tenant.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('crm.identity.demo-tenant'))`);
      if (await this.tenants.anyExists(manager)) return false;
      const actor = { actorId: null };
      await this.onboarding.createTenantWithAdmin(manager, { tenantId, tenantName: DEMO_TENANT_NAME, admin: { name: DEMO_ADMIN_NAME, email, passwordHash } }, actor);
      await this.audit.record(manager, { tenantId, ...actor, action: 'tenant.created', target: { type: 'tenant', id: tenantId }, details: { name: DEMO_TENANT_NAME, source: 'embedded' } });
      return true;
    });
    if (!created) return [];
    this.logger.log(`created tenant "${DEMO_TENANT_NAME}" (${tenantId}) with admin ${email}`);
    return [
      `First start: created the tenant "${DEMO_TENANT_NAME}". Sign in as its admin (shown only this once):`,
      `  e-mail    ${email}`,
      `  password  ${generated ?? '(from CRM_ADMIN_PASSWORD)'}`,
    ];
  }
}
