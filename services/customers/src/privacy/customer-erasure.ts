import { create } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErasureCompletedEvent, ErasureCompletedSchema, ErasureRequestedEvent, ErasureRequestedSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import { CustomerEvents } from '../customers/customer-events';
import type { CustomerEntity } from '../customers/customer.entity';
import { OWN_SERVICE } from './erasure-participants';
import { erasePersonalData, PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from '@crm/platform/privacy';
import type { PrivacyRequestEntity } from './privacy-request.entity';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/**
 * Erases a customer in the request's transaction: every personal data holder of the service
 * anonymises or deletes its part, then the other services are asked (ErasureRequested, with the phones
 * and e-mails taken before they were erased, for records not linked by id), consumers of customer
 * events are told (CustomerErased), and the service answers for itself (ErasureCompleted). Either all
 * of it commits or none.
 */
@Injectable()
export class CustomerErasure {
  constructor(
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: readonly PersonalDataHolder[],
    private readonly requests: PrivacyRequestsRepository,
    private readonly customerEvents: CustomerEvents,
    private readonly eventBus: EventBus,
  ) {}

  /** `customer` is locked by the caller; returns how many records the holders changed. */
  async erase(manager: EntityManager, request: PrivacyRequestEntity, customer: CustomerEntity): Promise<number> {
    const { tenantId, id: customerId } = customer;
    const contacts = { phones: [...customer.phones], emails: [...customer.emails] };
    const recordsAffected = await erasePersonalData(this.holders, manager, tenantId, customerId);

    const erased = await this.requests.findCustomer(manager, customerId);
    if (!erased?.erasedAt) throw new Error(`Customer ${customerId} is not marked erased after its erasure: is the customer record holder registered?`);
    const completedAt = new Date();
    const options = { subject: request.id, tenantId };
    await this.eventBus.publish(
      manager,
      ErasureRequestedEvent,
      create(ErasureRequestedSchema, { tenantId, requestId: request.id, customerId, ...contacts, requestedAt: request.createdAt.toISOString() }),
      options,
    );
    await this.customerEvents.publish(manager, [{ kind: 'erased', customer: erased, requestId: request.id }]);
    await this.eventBus.publish(
      manager,
      ErasureCompletedEvent,
      create(ErasureCompletedSchema, { tenantId, requestId: request.id, customerId, service: OWN_SERVICE, recordsAffected: BigInt(recordsAffected), completedAt: completedAt.toISOString() }),
      options,
    );
    await this.requests.recordOutcome(manager, request.id, { service: OWN_SERVICE, status: 'completed', recordsAffected, detail: null, at: completedAt });
    await this.requests.completeIfAnswered(manager, request.id, completedAt);
    return recordsAffected;
  }
}
