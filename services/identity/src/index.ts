import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { IdentityEnv } from './config/identity.env';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from './database/schema';
import { embeddedSetup } from './embedded/embedded-setup';
import { IdentityModule } from './identity.module';

export { IdentityEnv } from './config/identity.env';

/** Tenants, users, teams, roles, API keys and sign-in: issues the tokens the gateway verifies. */
export const service: ServiceDefinition = {
  name: 'identity',
  defaultPort: 3001,
  module: IdentityModule,
  config: IdentityEnv,
  database: { migrations: IDENTITY_MIGRATIONS, entities: IDENTITY_ENTITIES },
  resources: ['auth', 'me', 'users', 'teams', 'api-keys', 'audit-log'],
  embeddedSetup,
};
