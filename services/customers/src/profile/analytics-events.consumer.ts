import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerScoresChangedEvent, type CustomerScoresChanged } from '@crm/contracts';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { fromCustomerScoresChanged } from './events/analytics-events';
import { ProfileRecorder } from './profile-recorder';

/** Scores from analytics: kept on the profile, and the value tier and VIP / churn-risk tags set on the customer. */
@Injectable()
export class AnalyticsEventsConsumer {
  constructor(
    private readonly recorder: ProfileRecorder,
    private readonly lifecycle: LifecycleService,
  ) {}

  @OnEvent(CustomerScoresChangedEvent)
  async onCustomerScoresChanged(event: ReceivedEvent<CustomerScoresChanged>, manager: EntityManager): Promise<void> {
    const { profileEvent, scores } = fromCustomerScoresChanged(event);
    const { target, applied } = await this.recorder.recordScores(manager, event.id, profileEvent, scores);
    if (applied && target.customer) await this.lifecycle.followScores(manager, target.customer, scores);
  }
}
