import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomerNotFoundError } from '../customers/customer.errors';
import { CustomerErasure } from './customer-erasure';
import type { ArchiveDeliveryDto, CreatePrivacyRequestDto, ListPrivacyRequestsQueryDto, PrivacyRequestDto } from './dto/privacy-request.dto';
import { ErasureParticipants } from './erasure-participants';
import { toPrivacyRequestDto } from './privacy-request.mapper';
import type { PrivacyRequestEntity } from './privacy-request.entity';
import { CustomerErasedError, NotAnExportRequestError, PrivacyRequestNotFoundError } from './privacy.errors';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/**
 * Privacy requests (PIPL/GDPR) of the tenant. An erasure is carried out by the customers service at
 * once and then waits for the participating services' answers; an export is completed when the gateway
 * delivered its archive. Requests are tenant-wide: whoever manages privacy handles any customer.
 */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly requests: PrivacyRequestsRepository,
    private readonly erasure: CustomerErasure,
    private readonly participants: ErasureParticipants,
  ) {}

  async create(input: CreatePrivacyRequestDto): Promise<PrivacyRequestDto> {
    const caller = principal();
    return this.transactions.run(async (manager) => {
      const customer = await this.requests.findCustomerForUpdate(manager, input.customerId);
      if (!customer) throw new CustomerNotFoundError(input.customerId);
      // Nothing personal is left to export or erase; the earlier erasure request is the record.
      if (customer.erasedAt) throw new CustomerErasedError(customer.id);
      const request: PrivacyRequestEntity = {
        id: randomUUID(),
        tenantId: caller.tenantId,
        customerId: customer.id,
        type: input.type,
        status: 'pending',
        reason: input.reason ?? 'data_subject_request',
        requestedBy: input.requestedBy ?? null,
        createdBy: caller.userId,
        createdAt: new Date(),
        completedAt: null,
        deliveredAt: null,
        archiveComplete: null,
      };
      await this.requests.insert(manager, request, this.participants.all());
      if (request.type === 'erasure') await this.erasure.erase(manager, request, customer);
      return this.read(manager, request.id);
    });
  }

  async list(query: ListPrivacyRequestsQueryDto): Promise<Page<PrivacyRequestDto>> {
    const now = new Date();
    const overdueBefore = new Date(now.getTime() - this.participants.overdueAfterMs);
    return this.transactions.run(async (manager) => {
      const page = await this.requests.page(manager, { status: query.status, type: query.type, customerId: query.customerId, overdueBefore }, query);
      const services = await this.requests.servicesOf(manager, page.items.map((request) => request.id));
      return mapPage(page, (request) => toPrivacyRequestDto(request, services.get(request.id) ?? [], now, this.participants.overdueAfterMs));
    });
  }

  get(id: string): Promise<PrivacyRequestDto> {
    return this.transactions.run((manager) => this.read(manager, id));
  }

  /** The gateway delivered an export's archive: the request is completed, with what it held per service. */
  async recordDelivery(id: string, delivery: ArchiveDeliveryDto): Promise<PrivacyRequestDto> {
    return this.transactions.run(async (manager) => {
      const request = isUuid(id) ? await this.requests.findById(manager, id, { lock: true }) : null;
      if (!request) throw new PrivacyRequestNotFoundError(id);
      if (request.type !== 'export') throw new NotAnExportRequestError(id);
      const at = new Date();
      await this.requests.recordDelivery(manager, request, {
        at,
        complete: delivery.complete,
        outcomes: delivery.services.map((service) => ({
          service: service.service,
          status: service.status === 'included' ? ('completed' as const) : ('failed' as const),
          recordsAffected: null,
          detail: service.status === 'included' ? null : (service.detail ?? 'unavailable'),
          at,
        })),
      });
      return this.read(manager, id);
    });
  }

  private async read(manager: EntityManager, id: string): Promise<PrivacyRequestDto> {
    const request = isUuid(id) ? await this.requests.findById(manager, id) : null;
    if (!request) throw new PrivacyRequestNotFoundError(id);
    const services = await this.requests.servicesOf(manager, [id]);
    return toPrivacyRequestDto(request, services.get(id) ?? [], new Date(), this.participants.overdueAfterMs);
  }
}
