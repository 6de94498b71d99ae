import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { AuditEntryEntity } from './audit-entry.entity';
import { fetchPage, type Page } from '@crm/platform/api';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditEntriesRepository extends TenantScopedRepository<AuditEntryEntity> {
  constructor() {
    super(AuditEntryEntity);
  }

  /** Newest first; indexed by (tenant, at), (tenant, action, at) and (tenant, actor, at). */
  page(manager: EntityManager, filter: AuditFilter, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<AuditEntryEntity>> {
    const qb = this.query(manager, 'a');
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.from) qb.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.at < :to', { to: filter.to });
    return fetchPage(qb, { timeColumn: 'a.at', idColumn: 'a.id', direction: 'DESC', ...paging }, (entry) => ({ at: entry.at, id: entry.id }));
  }
}
