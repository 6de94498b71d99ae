import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  SurveyAnsweredEvent,
  TicketOpenedEvent,
  TicketResolvedEvent,
  TicketStatusChangedEvent,
  type SurveyAnswered,
  type TicketOpened,
  type TicketResolved,
  type TicketStatusChanged,
} from '@crm/contracts';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { fromSurveyAnswered, fromTicketOpened, fromTicketResolved, fromTicketStatusChanged } from './events/ticketing-events';
import type { ProfileEvent } from './profile-event';
import { ProfileRecorder } from './profile-recorder';

/** Tickets and CSAT answers from ticketing: open tickets and the CSAT average of the summary, and the timeline. */
@Injectable()
export class TicketingEventsConsumer {
  constructor(private readonly recorder: ProfileRecorder) {}

  @OnEvent(TicketOpenedEvent)
  onTicketOpened(event: ReceivedEvent<TicketOpened>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromTicketOpened(event));
  }

  @OnEvent(TicketStatusChangedEvent)
  onTicketStatusChanged(event: ReceivedEvent<TicketStatusChanged>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromTicketStatusChanged(event));
  }

  @OnEvent(TicketResolvedEvent)
  onTicketResolved(event: ReceivedEvent<TicketResolved>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromTicketResolved(event));
  }

  @OnEvent(SurveyAnsweredEvent)
  onSurveyAnswered(event: ReceivedEvent<SurveyAnswered>, manager: EntityManager): Promise<void> {
    return this.record(manager, event.id, fromSurveyAnswered(event));
  }

  private async record(manager: EntityManager, eventId: string, profileEvent: ProfileEvent | null): Promise<void> {
    if (profileEvent) await this.recorder.record(manager, eventId, profileEvent);
  }
}
