import { SetMetadata } from '@nestjs/common';
import type { EventContractRef } from './codec';

export const ON_EVENT_METADATA = Symbol('crm:on-event');

/**
 * Marks a provider method as the handler of one event contract. The method receives the decoded
 * event and the EntityManager of the transaction that also records the event in the inbox:
 * do every write through that manager so effects and deduplication commit together.
 *
 *   @OnEvent(CustomerCreatedEvent)
 *   async onCustomerCreated(event: ReceivedEvent<CustomerCreated>, manager: EntityManager) { ... }
 */
export const OnEvent = (contract: EventContractRef): MethodDecorator => SetMetadata(ON_EVENT_METADATA, contract);
