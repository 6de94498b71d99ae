import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserCreatedEvent, UserDeactivatedEvent, UserUpdatedEvent, type UserCreated, type UserDeactivated, type UserUpdated } from '@crm/contracts';
import { withTenant } from '@crm/platform/database';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { userSnapshotOf, type AnyUserEvent } from '@crm/platform/users-read-model';
import { OwnerReassignment } from '../handover/owner-reassignment';
import { UsersRepository, type UserSnapshot } from './users.repository';

/**
 * Keeps the local users table from identity.user.v1. Every event is a full snapshot with a version, so
 * the three are handled alike: newer versions replace the row, older or repeated ones change nothing.
 * Team membership changes reach us as UserUpdated of each member, so identity.team.v1 is not needed.
 */
@Injectable()
export class UserEventsConsumer {
  constructor(
    private readonly users: UsersRepository,
    private readonly reassignment: OwnerReassignment,
  ) {}

  @OnEvent(UserCreatedEvent)
  onUserCreated(event: ReceivedEvent<UserCreated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  @OnEvent(UserUpdatedEvent)
  onUserUpdated(event: ReceivedEvent<UserUpdated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  /** Also puts the user's customers in the shared pool (one handler per event type and consumer group). */
  @OnEvent(UserDeactivatedEvent)
  async onUserDeactivated(event: ReceivedEvent<UserDeactivated>, manager: EntityManager): Promise<void> {
    await this.apply(event, manager, { active: false });
    await this.reassignment.poolCustomersOf(manager, event.data.tenantId, event.data.userId);
  }

  private async apply(event: ReceivedEvent<AnyUserEvent>, manager: EntityManager, override: Partial<UserSnapshot> = {}): Promise<void> {
    const snapshot = userSnapshotOf(event);
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, snapshot.tenantId);
    await this.users.apply(manager, { ...snapshot, ...override });
  }
}
