import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TeamCreatedEvent, TeamUpdatedEvent, type TeamCreated, type TeamUpdated } from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { TeamsRepository } from './teams.repository';

/** Keeps the local teams table from identity.team.v1: names and managers (breached tickets escalate to the manager). */
@Injectable()
export class TeamEventsConsumer {
  constructor(private readonly teams: TeamsRepository) {}

  @OnEvent(TeamCreatedEvent)
  onTeamCreated(event: ReceivedEvent<TeamCreated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  @OnEvent(TeamUpdatedEvent)
  onTeamUpdated(event: ReceivedEvent<TeamUpdated>, manager: EntityManager): Promise<void> {
    return this.apply(event, manager);
  }

  private async apply(event: ReceivedEvent<TeamCreated | TeamUpdated>, manager: EntityManager): Promise<void> {
    const { data } = event;
    if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`team event for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
    if (!isUuid(data.teamId)) throw new PoisonMessageError(`team event without a valid team id (${JSON.stringify(data.teamId)})`);
    if (data.managerId !== '' && !isUuid(data.managerId)) throw new PoisonMessageError(`team ${data.teamId}: managerId ${JSON.stringify(data.managerId)} is not a user id`);
    await withTenant(manager, data.tenantId);
    await this.teams.upsert(manager, { id: data.teamId.toLowerCase(), tenantId: data.tenantId, name: data.name, managerId: data.managerId === '' ? null : data.managerId.toLowerCase(), version: Number(data.version) });
  }
}
