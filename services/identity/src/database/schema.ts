import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { LoginThrottleEntity } from '../auth/login-throttle.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { TeamMemberEntity } from '../teams/team-member.entity';
import { TeamEntity } from '../teams/team.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { SigningKeyEntity } from '../tokens/signing-key.entity';
import { UserEntity } from '../users/user.entity';
import { IdentityTables1732000000000 } from './migrations/1732000000000-identity-tables';

/** Identity's tables, in the order its migrations create them. */
export const IDENTITY_ENTITIES = [
  TenantEntity,
  UserEntity,
  TeamEntity,
  TeamMemberEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  LoginThrottleEntity,
  AuditEntryEntity,
];

export const IDENTITY_MIGRATIONS = [IdentityTables1732000000000];
