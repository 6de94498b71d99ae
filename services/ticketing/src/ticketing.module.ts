import { Module } from '@nestjs/common';
import { CustomerDirectoryRepository } from './customers-directory/customer-directory.repository';
import { CustomerEventsConsumer } from './customers-directory/customer-events.consumer';
import { CustomerReferences } from './customers-directory/customer-references';
import { CustomerTierSync } from './customers-directory/customer-tier-sync';
import { TeamEventsConsumer } from './teams/team-events.consumer';
import { TeamsRepository } from './teams/teams.repository';
import { UserEventsConsumer } from './users/user-events.consumer';

/**
 * The ticketing service: the service desk. Read models of identity's users and teams and of the
 * customers service's customers (with analytics' VIP flag) come first; tickets, routing, SLAs,
 * channels, the knowledge base and CSAT build on them.
 */
@Module({
  controllers: [],
  providers: [
    // Read models of identity's users and teams (agents, team managers)
    UserEventsConsumer,
    TeamsRepository,
    TeamEventsConsumer,
    // Read model of the customers service's customers (contact matching, tier, merges)
    CustomerDirectoryRepository,
    CustomerReferences,
    CustomerTierSync,
    CustomerEventsConsumer,
  ],
})
export class TicketingModule {}
