import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserCreatedEvent, UserCreatedSchema, UserDeactivatedEvent, UserDeactivatedSchema, UserUpdatedEvent, UserUpdatedSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import { toUserSnapshot } from './user.mapper';
import type { UserEntity } from './user.entity';

export type UserChange = 'created' | 'updated' | 'deactivated';

/** Publishes identity.user.v1 through the outbox, in the transaction that changed the user. */
@Injectable()
export class UserEvents {
  constructor(private readonly eventBus: EventBus) {}

  async publish(manager: EntityManager, change: UserChange, user: UserEntity, teamIds: readonly string[]): Promise<void> {
    const snapshot = toUserSnapshot(user, teamIds);
    const options = { subject: user.id, tenantId: user.tenantId };
    switch (change) {
      case 'created':
        await this.eventBus.publish(manager, UserCreatedEvent, create(UserCreatedSchema, snapshot), options);
        return;
      case 'updated':
        await this.eventBus.publish(manager, UserUpdatedEvent, create(UserUpdatedSchema, snapshot), options);
        return;
      case 'deactivated':
        await this.eventBus.publish(manager, UserDeactivatedEvent, create(UserDeactivatedSchema, snapshot), options);
        return;
    }
  }
}
