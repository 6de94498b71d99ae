import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hasPermission, principal, type Role } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { AuditLog } from '../audit/audit-log';
import type { ClientInfo } from '../common/client-info';
import { TeamMembersRepository } from '../teams/team-members.repository';
import { UsersRepository } from '../users/users.repository';
import { ApiKeyNotFoundError, InvalidApiKeyError, RolesNotHeldError } from './api-key.errors';
import { generateApiKey, parseApiKey, secretMatches } from './api-key-format';
import { toApiKeyDto } from './api-key.mapper';
import { ApiKeysRepository } from './api-keys.repository';
import type { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, VerifiedApiKeyDto } from './dto/api-key.dto';
import { isUuid, mapPage, type Page } from '@crm/platform/api';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly apiKeys: ApiKeysRepository,
    private readonly users: UsersRepository,
    private readonly teamMembers: TeamMembersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Your own keys; an admin sees every key of the tenant. */
  list(paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<ApiKeyDto>> {
    const viewer = this.viewer();
    return this.transactions.run(async (manager) => mapPage(await this.apiKeys.page(manager, viewer, paging), toApiKeyDto));
  }

  /**
   * A key acting as the caller, with some or all of the caller's roles (see `grantableRoles`). A call
   * made with an API key has that key's roles, so a key can never make a key with more.
   */
  async create(input: CreateApiKeyDto, client: ClientInfo): Promise<CreatedApiKeyDto> {
    const caller = principal();
    const roles: Role[] = input.roles ?? [...caller.roles];
    const grantable = grantableRoles(caller.roles, roles);
    if (grantable.length !== roles.length || roles.length === 0) throw new RolesNotHeldError(roles.filter((role) => !grantable.includes(role)));
    const generated = generateApiKey();
    return this.transactions.run(async (manager) => {
      const key = this.apiKeys.create(manager, {
        id: randomUUID(),
        keyId: generated.keyId,
        secretHash: generated.secretHash,
        name: input.name,
        roles,
        createdBy: caller.userId,
        createdAt: new Date(),
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        lastUsedAt: null,
      });
      await this.apiKeys.insert(manager, key);
      await this.audit.record(manager, {
        tenantId: key.tenantId,
        actorId: caller.userId,
        action: 'api_key.created',
        target: { type: 'api_key', id: key.id },
        client,
        details: { name: key.name, roles: key.roles, expiresAt: key.expiresAt?.toISOString() ?? null },
      });
      return { ...toApiKeyDto(key), key: generated.key };
    });
  }

  /** Idempotent: revoking a revoked key changes nothing and records nothing. */
  async revoke(id: string, client: ClientInfo): Promise<void> {
    const viewer = this.viewer();
    await this.transactions.run(async (manager) => {
      const key = isUuid(id) ? await this.apiKeys.findVisible(manager, id, viewer) : null;
      if (!key) throw new ApiKeyNotFoundError(id);
      if (!(await this.apiKeys.revoke(manager, key))) return;
      await this.audit.record(manager, {
        tenantId: key.tenantId,
        actorId: viewer.userId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id: key.id },
        client,
        details: { name: key.name, createdBy: key.createdBy },
      });
    });
  }

  /**
   * For the gateway: who a presented key acts for. The roles are the key's roles its user could still
   * grant, so demoting a user demotes their keys too; the teams are the user's current ones.
   */
  async verify(presented: string): Promise<VerifiedApiKeyDto> {
    const parsed = parseApiKey(presented);
    if (!parsed) throw new InvalidApiKeyError();
    const tenantId = await this.transactions.runAsSystem((manager) => this.apiKeys.findTenantOf(manager, parsed.keyId));
    if (!tenantId) throw new InvalidApiKeyError();
    return this.transactions.runForTenant(tenantId, async (manager) => {
      const key = await this.apiKeys.findByKeyId(manager, parsed.keyId);
      const now = new Date();
      if (!key || !secretMatches(parsed.secret, key.secretHash) || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw new InvalidApiKeyError();
      const user = await this.users.findById(manager, key.createdBy);
      if (!user?.active) throw new InvalidApiKeyError();
      await this.apiKeys.touchLastUsed(manager, key, now);
      return {
        tenantId: key.tenantId,
        userId: user.id,
        keyId: key.id,
        roles: grantableRoles(user.roles, key.roles),
        teamIds: await this.teamMembers.teamIdsOf(manager, user.id),
      };
    });
  }

  private viewer(): { userId: string; anyCreator: boolean } {
    const caller = principal();
    return { userId: caller.userId, anyCreator: caller.roles.includes('admin') };
  }
}

/**
 * The roles of `requested` that a holder of `holderRoles` may put on a key: their own roles, or any
 * role when they may assign roles to people anyway (roles:assign, i.e. admins issuing narrow keys).
 */
export function grantableRoles<R extends string>(holderRoles: readonly string[], requested: readonly R[]): R[] {
  if (hasPermission(holderRoles, 'roles:assign')) return [...requested];
  return requested.filter((role) => holderRoles.includes(role));
}
