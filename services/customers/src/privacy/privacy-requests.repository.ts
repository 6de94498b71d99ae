import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { fetchPage, type Page } from '@crm/platform/api';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { CustomerEntity } from '../customers/customer.entity';
import { PrivacyRequestServiceEntity, type StoredServiceStatus } from './privacy-request-service.entity';
import { PrivacyRequestEntity, type PrivacyRequestType } from './privacy-request.entity';

export type RequestStatusFilter = 'pending' | 'overdue' | 'completed';

export interface PrivacyRequestFilter {
  status?: RequestStatusFilter;
  type?: PrivacyRequestType;
  customerId?: string;
  /** Pending requests created before this are overdue. */
  overdueBefore: Date;
}

export interface Paging {
  limit: number;
  cursor?: string;
  total?: boolean;
}

/** What one service reported for a request. */
export interface ServiceOutcome {
  service: string;
  status: Exclude<StoredServiceStatus, 'pending'>;
  recordsAffected: number | null;
  detail: string | null;
  at: Date;
}

/** Privacy requests and their per-service rows, always of the current tenant. */
@Injectable()
export class PrivacyRequestsRepository extends TenantScopedRepository<PrivacyRequestEntity> {
  constructor() {
    super(PrivacyRequestEntity);
  }

  /**
   * The customer a request is about, in any state: a deleted customer's data can still be exported or
   * erased. Locked, so an erasure and a concurrent write or second erasure of the customer serialise.
   */
  findCustomerForUpdate(manager: EntityManager, customerId: string): Promise<CustomerEntity | null> {
    return manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId AND c.id = :customerId', { tenantId: requireTenantId(), customerId })
      .setLock('pessimistic_write')
      .getOne();
  }

  findCustomer(manager: EntityManager, customerId: string): Promise<CustomerEntity | null> {
    return manager.getRepository(CustomerEntity).findOne({ where: { tenantId: requireTenantId(), id: customerId } });
  }

  async insert(manager: EntityManager, request: PrivacyRequestEntity, services: readonly string[]): Promise<void> {
    await this.repository(manager).insert(request);
    if (services.length === 0) return;
    await manager.getRepository(PrivacyRequestServiceEntity).insert(
      services.map((service) => ({ requestId: request.id, tenantId: request.tenantId, service, status: 'pending' as const, recordsAffected: null, detail: null, completedAt: null })),
    );
  }

  findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<PrivacyRequestEntity | null> {
    const qb = this.query(manager, 'r').andWhere('r.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Newest first; every filter leads one of the (tenant, x, created_at, id) indexes. */
  page(manager: EntityManager, filter: PrivacyRequestFilter, paging: Paging): Promise<Page<PrivacyRequestEntity>> {
    const qb = this.query(manager, 'r');
    if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    if (filter.customerId) qb.andWhere('r.customerId = :customerId', { customerId: filter.customerId });
    switch (filter.status) {
      case 'completed':
        qb.andWhere(`r.status = 'completed'`);
        break;
      case 'pending':
        qb.andWhere(`r.status = 'pending' AND r.createdAt >= :overdueBefore`, { overdueBefore: filter.overdueBefore });
        break;
      case 'overdue':
        qb.andWhere(`r.status = 'pending' AND r.createdAt < :overdueBefore`, { overdueBefore: filter.overdueBefore });
        break;
    }
    return fetchPage(qb, { timeColumn: 'r.createdAt', idColumn: 'r.id', direction: 'DESC', ...paging }, (request) => ({ at: request.createdAt, id: request.id }));
  }

  /** The service rows of these requests, by request id, in service name order. */
  async servicesOf(manager: EntityManager, requestIds: readonly string[]): Promise<Map<string, PrivacyRequestServiceEntity[]>> {
    const byRequest = new Map<string, PrivacyRequestServiceEntity[]>(requestIds.map((id) => [id, []]));
    if (requestIds.length === 0) return byRequest;
    const rows = await manager.getRepository(PrivacyRequestServiceEntity).find({
      where: { tenantId: requireTenantId(), requestId: In([...requestIds]) },
      order: { service: 'ASC' },
    });
    for (const row of rows) byRequest.get(row.requestId)?.push(row);
    return byRequest;
  }

  /**
   * Records what a service did. A service that answered before keeps its first answer (answers are
   * redelivered); one nobody expected is added, so what it did is on record too.
   */
  async recordOutcome(manager: EntityManager, requestId: string, outcome: ServiceOutcome): Promise<void> {
    await manager.query(
      `INSERT INTO privacy_request_services AS s (request_id, tenant_id, service, status, records_affected, detail, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (request_id, service) DO UPDATE
          SET status = EXCLUDED.status, records_affected = EXCLUDED.records_affected, detail = EXCLUDED.detail, completed_at = EXCLUDED.completed_at
        WHERE s.status = 'pending'`,
      [requestId, requireTenantId(), outcome.service, outcome.status, outcome.recordsAffected, outcome.detail, outcome.at],
    );
  }

  /** Erasure: the request is completed once no service it waits for is pending. Returns whether it just was. */
  async completeIfAnswered(manager: EntityManager, requestId: string, at: Date): Promise<boolean> {
    const [, updated] = (await manager.query(
      `UPDATE privacy_requests SET status = 'completed', completed_at = $3
        WHERE tenant_id = $1 AND id = $2 AND status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM privacy_request_services WHERE request_id = $2 AND status = 'pending')`,
      [requireTenantId(), requestId, at],
    )) as [unknown, number];
    return updated > 0;
  }

  /**
   * Export: the gateway delivered an archive. Services it could not include and services it did not ask
   * (not deployed at the gateway) that were still pending fail with `detail`; the request is completed.
   */
  async recordDelivery(manager: EntityManager, request: PrivacyRequestEntity, delivery: { at: Date; complete: boolean; outcomes: readonly ServiceOutcome[] }): Promise<void> {
    for (const outcome of delivery.outcomes) {
      await manager.query(
        `INSERT INTO privacy_request_services (request_id, tenant_id, service, status, records_affected, detail, completed_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $6)
         ON CONFLICT (request_id, service) DO UPDATE SET status = EXCLUDED.status, detail = EXCLUDED.detail, completed_at = EXCLUDED.completed_at`,
        [request.id, request.tenantId, outcome.service, outcome.status, outcome.detail, outcome.at],
      );
    }
    await manager.query(
      `UPDATE privacy_request_services SET status = 'failed', detail = 'not part of the archive', completed_at = $3
        WHERE tenant_id = $1 AND request_id = $2 AND status = 'pending'`,
      [request.tenantId, request.id, delivery.at],
    );
    request.deliveredAt = delivery.at;
    request.archiveComplete = delivery.complete;
    if (request.status === 'pending') {
      request.status = 'completed';
      request.completedAt = delivery.at;
    }
    await this.saveScoped(manager, request);
  }
}
