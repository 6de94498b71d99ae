import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TeamCreatedEvent, TeamCreatedSchema, TeamUpdatedEvent, TeamUpdatedSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import { toTeamSnapshot } from './team.mapper';
import type { TeamEntity } from './team.entity';

/** Publishes identity.team.v1 through the outbox, in the transaction that changed the team. */
@Injectable()
export class TeamEvents {
  constructor(private readonly eventBus: EventBus) {}

  async publish(manager: EntityManager, change: 'created' | 'updated', team: TeamEntity, memberIds: readonly string[]): Promise<void> {
    const snapshot = toTeamSnapshot(team, memberIds);
    const options = { subject: team.id, tenantId: team.tenantId };
    if (change === 'created') await this.eventBus.publish(manager, TeamCreatedEvent, create(TeamCreatedSchema, snapshot), options);
    else await this.eventBus.publish(manager, TeamUpdatedEvent, create(TeamUpdatedSchema, snapshot), options);
  }
}
