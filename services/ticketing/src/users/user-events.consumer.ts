import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserCreatedEvent, UserDeactivatedEvent, UserUpdatedEvent, type UserCreated, type UserDeactivated, type UserUpdated } from '@crm/contracts';
import { withTenant } from '@crm/platform/database';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { applyUserSnapshot, userSnapshotOf } from '@crm/platform/users-read-model';

/**
 * Keeps the local users table from identity.user.v1 (agents, their teams and roles). A deactivated
 * user gets no new tickets; the tickets they hold stay theirs until someone re-assigns them.
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
    await withTenant(manager, snapshot.tenantId);
    await applyUserSnapshot(manager, snapshot);
  }
}
