import { create } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErasureRequestedEvent, SalesErasureCompletedEvent, SalesErasureCompletedSchema, type ErasureRequested } from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import { withTenant } from '@crm/platform/database';
import { EventBus, OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { erasePersonalData, PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from '@crm/platform/privacy';

export const OWN_SERVICE = 'sales';

/**
 * Honours an erasure the customers service asks for: every personal data holder of sales erases what
 * it has of the customer (by id, and by the phones and e-mails the request carries for records never
 * linked to it), and SalesErasureCompleted answers with the count, all in one transaction. A
 * redelivered request is skipped by the inbox; run again it would find nothing left and answer 0.
 */
@Injectable()
export class ErasureRequestsConsumer {
  constructor(
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: readonly PersonalDataHolder[],
    private readonly eventBus: EventBus,
  ) {}

  @OnEvent(ErasureRequestedEvent)
  async onErasureRequested(event: ReceivedEvent<ErasureRequested>, manager: EntityManager): Promise<void> {
    const { data } = event;
    if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`erasure for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
    if (!isUuid(data.requestId)) throw new PoisonMessageError(`erasure without a valid request id (${JSON.stringify(data.requestId)})`);
    if (!isUuid(data.customerId)) throw new PoisonMessageError(`erasure ${data.requestId} without a valid customer id`);
    const customerId = data.customerId.toLowerCase();
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, data.tenantId);
    const contacts = { phones: [...data.phones], emails: data.emails.map((email) => email.toLowerCase()) };
    const recordsAffected = await erasePersonalData(this.holders, manager, data.tenantId, customerId, contacts);
    const answer = create(SalesErasureCompletedSchema, {
      tenantId: data.tenantId,
      requestId: data.requestId,
      customerId,
      service: OWN_SERVICE,
      recordsAffected: BigInt(recordsAffected),
      completedAt: new Date().toISOString(),
    });
    await this.eventBus.publish(manager, SalesErasureCompletedEvent, answer, { subject: data.requestId, tenantId: data.tenantId });
  }
}
