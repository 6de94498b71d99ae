import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HandoverCompletedEvent, type HandoverCompleted } from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { OwnerReassignment, type Handover } from './owner-reassignment';

/** Re-assigns a leaving user's customers when sales reports their handover done. */
@Injectable()
export class HandoverEventsConsumer {
  constructor(private readonly reassignment: OwnerReassignment) {}

  @OnEvent(HandoverCompletedEvent)
  async onHandoverCompleted(event: ReceivedEvent<HandoverCompleted>, manager: EntityManager): Promise<void> {
    const handover = toHandover(event);
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, handover.tenantId);
    await this.reassignment.handOver(manager, handover);
  }
}

/** The handover an event describes; one that names another tenant than its envelope, or ids that are not ids, is poison. */
export function toHandover(event: ReceivedEvent<HandoverCompleted>): Handover {
  const { data } = event;
  if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`handover for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
  if (!isUuid(data.fromUserId)) throw new PoisonMessageError(`handover ${data.handoverId} has no valid fromUserId (${JSON.stringify(data.fromUserId)})`);
  const userOrPool = (value: string, what: string): string | null => {
    if (value === '') return null;
    if (!isUuid(value)) throw new PoisonMessageError(`handover ${data.handoverId}: ${what} ${JSON.stringify(value)} is not a user id`);
    return value.toLowerCase();
  };
  const assignments = new Map<string, string | null>();
  data.customerAssignments.forEach((assignment, index) => {
    if (!isUuid(assignment.customerId)) throw new PoisonMessageError(`handover ${data.handoverId}: customerAssignments[${index}].customerId is not a customer id`);
    assignments.set(assignment.customerId.toLowerCase(), userOrPool(assignment.toUserId, `customerAssignments[${index}].toUserId`));
  });
  return {
    tenantId: data.tenantId,
    fromUserId: data.fromUserId.toLowerCase(),
    toUserId: userOrPool(data.toUserId, 'toUserId'),
    assignments,
    handedOverBy: userOrPool(data.handedOverBy, 'handedOverBy'),
  };
}
