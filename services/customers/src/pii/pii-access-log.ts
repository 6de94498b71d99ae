import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentContext, TenantScopedRepository } from '@crm/platform/database';
import { PiiAccessEntity } from './pii-access.entity';
import { fetchPage, type Page } from '@crm/platform/api';

/**
 * Records unmasked reads of personal data in the transaction that read it, so a value is never shown
 * without its record (if the record cannot be written, the read fails).
 */
@Injectable()
export class PiiAccessLog extends TenantScopedRepository<PiiAccessEntity> {
  constructor() {
    super(PiiAccessEntity);
  }

  async record(manager: EntityManager, access: { customerId: string; actorId: string; fields: readonly string[] }): Promise<void> {
    await this.repository(manager).insert(
      this.createScoped(manager, {
        id: randomUUID(),
        customerId: access.customerId,
        actorId: access.actorId,
        fields: [...access.fields],
        requestId: currentContext()?.requestId ?? null,
        at: new Date(),
      }),
    );
  }

  /** Newest first, backed by the (tenant, customer, at, id) index. */
  pageOfCustomer(manager: EntityManager, customerId: string, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<PiiAccessEntity>> {
    const qb = this.query(manager, 'a').andWhere('a.customerId = :customerId', { customerId });
    return fetchPage(qb, { timeColumn: 'a.at', idColumn: 'a.id', direction: 'DESC', ...paging }, (entry) => ({ at: entry.at, id: entry.id }));
  }
}
