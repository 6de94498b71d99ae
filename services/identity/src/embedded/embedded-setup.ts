import type { INestApplicationContext } from '@nestjs/common';
import { DemoTenant } from './demo-tenant';

/**
 * `ServiceDefinition.embeddedSetup`: run by `npm start` once identity is up. The admin's address and
 * password come from CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD, validated with the rest of IdentityEnv.
 */
export function embeddedSetup(app: INestApplicationContext): Promise<string[]> {
  return app.get(DemoTenant).ensure();
}
