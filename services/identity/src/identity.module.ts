import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { InternalApiKeysController } from './api-keys/internal-api-keys.controller';
import { AuditEntriesRepository } from './audit/audit-entries.repository';
import { AuditLog } from './audit/audit-log';
import { AuditLogController } from './audit/audit-log.controller';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { RefreshTokens } from './auth/refresh-tokens';
import { DemoTenant } from './embedded/demo-tenant';
import { TeamEvents } from './teams/team-events';
import { TeamMembersRepository } from './teams/team-members.repository';
import { TeamsController } from './teams/teams.controller';
import { TeamsRepository } from './teams/teams.repository';
import { TeamsService } from './teams/teams.service';
import { TenantOnboarding } from './tenants/tenant-onboarding';
import { TenantsRepository } from './tenants/tenants.repository';
import { AccessTokens } from './tokens/access-tokens';
import { JwksController } from './tokens/jwks.controller';
import { SigningKeys } from './tokens/signing-keys';
import { MeController } from './users/me.controller';
import { MeService } from './users/me.service';
import { UserEvents } from './users/user-events';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * The identity service: one module, because its parts (users, teams, keys, sessions, audit) share
 * their repositories too closely for module boundaries inside it to pay off.
 */
@Module({
  controllers: [AuthController, JwksController, MeController, UsersController, TeamsController, ApiKeysController, InternalApiKeysController, AuditLogController],
  providers: [
    // Sign-in and tokens
    AuthService,
    LoginThrottle,
    RefreshTokens,
    SigningKeys,
    AccessTokens,
    { provide: PasswordHasher, useValue: new PasswordHasher() },
    // Tenants, users and teams
    TenantsRepository,
    TenantOnboarding,
    DemoTenant,
    UsersRepository,
    UsersService,
    MeService,
    UserEvents,
    TeamsRepository,
    TeamMembersRepository,
    TeamsService,
    TeamEvents,
    // API keys and audit
    ApiKeysRepository,
    ApiKeysService,
    AuditEntriesRepository,
    AuditLog,
  ],
})
export class IdentityModule {}
