import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserCreatedEvent, UserDeactivatedEvent, UserUpdatedEvent, type UserCreated, type UserDeactivated, type UserUpdated } from '@crm/contracts';
import { withTenant } from '@crm/platform/database';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { applyUserSnapshot, userSnapshotOf } from '@crm/platform/users-read-model';

/**
 * Keeps the local users table from identity.user.v1. Every event is a full snapshot with a version, so
 * the three are handled alike: newer versions replace the row, older or repeated ones change nothing.
 * A deactivated user gets no new leads; their open work moves with a handover, which a person decides.
 */
@Injectable()
export class UserEventsConsumer {
  @OnEvent(UserCreatedEvent)
  onUserCreated(event: ReceivedEvent<UserCreated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  @OnEvent(UserUpdatedEvent)
  onUserUpdated(event: ReceivedEvent<UserUpdated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  @OnEvent(UserDeactivatedEvent)
  onUserDeactivated(event: ReceivedEvent<UserDeactivated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  private async apply(event: ReceivedEvent<UserCreated | UserUpdated | UserDeactivated>, manager: EntityManager): Promise<void> {
    const snapshot = userSnapshotOf(event);
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, snapshot.tenantId);
    await applyUserSnapshot(manager, snapshot);
  }
}
