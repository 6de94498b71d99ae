import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { TeamEntity } from './team.entity';
import { fetchPage, type Page } from '@crm/platform/api';

/** Whose teams a caller sees: an admin every team of the tenant, anyone else the teams they belong to. */
export type TeamVisibility = { kind: 'tenant' } | { kind: 'member'; userId: string };

@Injectable()
export class TeamsRepository extends TenantScopedRepository<TeamEntity> {
  constructor() {
    super(TeamEntity);
  }

  findVisible(manager: EntityManager, id: string, visibility: TeamVisibility, options: { lock?: boolean } = {}): Promise<TeamEntity | null> {
    const qb = this.visible(manager, visibility).andWhere('t.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Oldest first; indexed by (tenant, created_at) and team_members (user_id). */
  page(manager: EntityManager, visibility: TeamVisibility, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<TeamEntity>> {
    return fetchPage(this.visible(manager, visibility), { timeColumn: 't.createdAt', idColumn: 't.id', direction: 'ASC', ...paging }, (team) => ({
      at: team.createdAt,
      id: team.id,
    }));
  }

  /** The teams a user belongs to, by name. */
  ofMember(manager: EntityManager, userId: string): Promise<TeamEntity[]> {
    return this.visible(manager, { kind: 'member', userId }).orderBy('t.name', 'ASC').getMany();
  }

  create(manager: EntityManager, values: Omit<TeamEntity, 'tenantId'>): TeamEntity {
    return this.createScoped(manager, values);
  }

  save(manager: EntityManager, team: TeamEntity): Promise<TeamEntity> {
    return this.saveScoped(manager, team);
  }

  private visible(manager: EntityManager, visibility: TeamVisibility) {
    const qb = this.query(manager, 't');
    if (visibility.kind === 'member') {
      qb.andWhere('EXISTS (SELECT 1 FROM team_members vtm WHERE vtm.team_id = t.id AND vtm.user_id = :viewerId)', { viewerId: visibility.userId });
    }
    return qb;
  }
}
