import { Module } from '@nestjs/common';
import { CustomerDirectoryRepository } from './customers-directory/customer-directory.repository';
import { CustomerEventsConsumer } from './customers-directory/customer-events.consumer';
import { CustomerReferences } from './customers-directory/customer-references';
import { SalesTasks } from './tasks/sales-tasks';
import { UserEventsConsumer } from './users/user-events.consumer';
import { UsersRepository } from './users/users.repository';

/**
 * The sales service: lead to cash. Read models of identity's users and the customers service's
 * customers come first; every part of the pipeline builds on them.
 */
@Module({
  controllers: [],
  providers: [
    // Read model of identity's users (owners, teams, seniority)
    UsersRepository,
    UserEventsConsumer,
    // Read model of the customers service's customers (dedup, references, merges)
    CustomerDirectoryRepository,
    CustomerReferences,
    CustomerEventsConsumer,
    // Tasks the service raises for people
    SalesTasks,
  ],
})
export class SalesModule {}
