import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ActivityLoggedEvent,
  ContractExpiringEvent,
  ContractSignedEvent,
  OpportunityLostEvent,
  OpportunityOpenedEvent,
  OpportunityStageChangedEvent,
  OpportunityWonEvent,
  OrderCancelledEvent,
  OrderPlacedEvent,
  type ActivityLogged,
  type ContractExpiring,
  type ContractSigned,
  type OpportunityLost,
  type OpportunityOpened,
  type OpportunityStageChanged,
  type OpportunityWon,
  type OrderCancelled,
  type OrderPlaced,
} from '@crm/contracts';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import {
  fromActivityLogged,
  fromContractExpiring,
  fromContractSigned,
  fromOpportunityLost,
  fromOpportunityOpened,
  fromOpportunityStageChanged,
  fromOpportunityWon,
  fromOrderCancelled,
  fromOrderPlaced,
} from './events/sales-events';
import type { ProfileEvent } from './profile-event';
import { ProfileRecorder } from './profile-recorder';

/**
 * Orders, opportunities, contracts and activities from sales: the profile summary (revenue, orders,
 * last order, open opportunities, last contact), the timeline, and the lifecycle stage orders imply.
 */
@Injectable()
export class SalesEventsConsumer {
  constructor(
    private readonly recorder: ProfileRecorder,
    private readonly lifecycle: LifecycleService,
  ) {}

  @OnEvent(OrderPlacedEvent)
  onOrderPlaced(event: ReceivedEvent<OrderPlaced>, manager: EntityManager): Promise<void> {
    return this.followOrder(manager, event.id, fromOrderPlaced(event));
  }

  @OnEvent(OrderCancelledEvent)
  onOrderCancelled(event: ReceivedEvent<OrderCancelled>, manager: EntityManager): Promise<void> {
    return this.followOrder(manager, event.id, fromOrderCancelled(event));
  }

  @OnEvent(OpportunityOpenedEvent)
  onOpportunityOpened(event: ReceivedEvent<OpportunityOpened>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromOpportunityOpened(event));
  }

  @OnEvent(OpportunityStageChangedEvent)
  onOpportunityStageChanged(event: ReceivedEvent<OpportunityStageChanged>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromOpportunityStageChanged(event));
  }

  @OnEvent(OpportunityWonEvent)
  onOpportunityWon(event: ReceivedEvent<OpportunityWon>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromOpportunityWon(event));
  }

  @OnEvent(OpportunityLostEvent)
  onOpportunityLost(event: ReceivedEvent<OpportunityLost>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromOpportunityLost(event));
  }

  @OnEvent(ContractSignedEvent)
  onContractSigned(event: ReceivedEvent<ContractSigned>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromContractSigned(event));
  }

  @OnEvent(ContractExpiringEvent)
  onContractExpiring(event: ReceivedEvent<ContractExpiring>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromContractExpiring(event));
  }

  @OnEvent(ActivityLoggedEvent)
  onActivityLogged(event: ReceivedEvent<ActivityLogged>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromActivityLogged(event));
  }

  private async record(manager: EntityManager, eventId: string, profileEvent: ProfileEvent | null): Promise<void> {
    if (profileEvent) await this.recorder.record(manager, eventId, profileEvent);
  }

  /** An order that changed its customer's figures may change its stage (a stale or repeated one does not). */
  private async followOrder(manager: EntityManager, eventId: string, profileEvent: ProfileEvent): Promise<void> {
    const { target, figures } = await this.recorder.record(manager, eventId, profileEvent);
    if (target.customer && figures) await this.lifecycle.followOrders(manager, target.customer, figures);
  }
}
