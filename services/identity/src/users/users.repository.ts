import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { teamMembersSql } from '../teams/team-members.repository';
import { UserEntity } from './user.entity';
import { fetchPage, type Page } from '@crm/platform/api';

export interface UserFilter {
  /** Part of the name or e-mail address, any case. */
  q?: string;
  active?: boolean;
  role?: string;
  teamId?: string;
}

/** `%`, `_` and `\` in a search term are matched literally. */
function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

@Injectable()
export class UsersRepository extends TenantScopedRepository<UserEntity> {
  constructor() {
    super(UserEntity);
  }

  /**
   * The user with this sign-in address in whichever tenant has it. Cross-tenant by nature (sign-in
   * names no tenant): only inside `TenantTransactions.runAsSystem`.
   */
  findByEmailInAnyTenant(manager: EntityManager, email: string): Promise<UserEntity | null> {
    return this.repository(manager).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email: email.trim() }).getOne();
  }

  /** A user of the current tenant that the scope allows the caller to see, optionally locked for update. */
  findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<UserEntity | null> {
    const qb = applyOwnershipScope(this.query(manager, 'u').andWhere('u.id = :id', { id }), { ownerColumn: 'u.id', teamMembersSql, scope });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return this.findOneScoped(manager, { id });
  }

  findByIds(manager: EntityManager, ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.findScoped(manager, { where: { id: In([...ids]) } });
  }

  /** Oldest first; the filters are backed by the (tenant, created_at), roles, trigram and team-member indexes. */
  page(
    manager: EntityManager,
    filter: UserFilter,
    scope: OwnershipScope,
    paging: { limit: number; cursor?: string; total?: boolean },
  ): Promise<Page<UserEntity>> {
    const qb = applyOwnershipScope(this.query(manager, 'u'), { ownerColumn: 'u.id', teamMembersSql, scope });
    if (filter.q) qb.andWhere('(u.name ILIKE :pattern OR u.email ILIKE :pattern)', { pattern: containsPattern(filter.q) });
    if (filter.active !== undefined) qb.andWhere('u.active = :active', { active: filter.active });
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.teamId) qb.andWhere('EXISTS (SELECT 1 FROM team_members ftm WHERE ftm.team_id = :teamId AND ftm.user_id = u.id)', { teamId: filter.teamId });
    return fetchPage(qb, { timeColumn: 'u.createdAt', idColumn: 'u.id', direction: 'ASC', ...paging }, (user) => ({ at: user.createdAt, id: user.id }));
  }

  /** Other active admins of the tenant: the last one may not be demoted or deactivated. */
  countOtherActiveAdmins(manager: EntityManager, exceptUserId: string): Promise<number> {
    return this.query(manager, 'u')
      .andWhere('u.active = true')
      .andWhere(`'admin' = ANY(u.roles)`)
      .andWhere('u.id <> :exceptUserId', { exceptUserId })
      .getCount();
  }

  /** A new user of the current tenant, not yet saved. */
  create(manager: EntityManager, values: Omit<UserEntity, 'tenantId'>): UserEntity {
    return this.createScoped(manager, values);
  }

  async insert(manager: EntityManager, user: UserEntity): Promise<void> {
    await this.repository(manager).insert(user);
  }

  save(manager: EntityManager, user: UserEntity): Promise<UserEntity> {
    return this.saveScoped(manager, user);
  }

  /** Marks users changed by something outside their row (team membership); returns them as they are now. */
  async touch(manager: EntityManager, ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return [];
    await this.repository(manager)
      .createQueryBuilder()
      .update()
      .set({ version: () => 'version + 1', updatedAt: new Date() })
      .where('tenant_id = :tenantId AND id IN (:...ids)', { tenantId: requireTenantId(), ids: [...ids] })
      .execute();
    return this.findByIds(manager, ids);
  }
}
