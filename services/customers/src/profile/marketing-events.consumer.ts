import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CouponIssuedEvent, CouponRedeemedEvent, TouchpointRecordedEvent, type CouponIssued, type CouponRedeemed, type TouchpointRecorded } from '@crm/contracts';
import { OnEvent, type ReceivedEvent } from '@crm/platform/messaging';
import { fromCouponIssued, fromCouponRedeemed, fromTouchpointRecorded } from './events/marketing-events';
import { ProfileRecorder } from './profile-recorder';

/** Touchpoints and coupons from marketing: timeline entries. */
@Injectable()
export class MarketingEventsConsumer {
  constructor(private readonly recorder: ProfileRecorder) {}

  @OnEvent(TouchpointRecordedEvent)
  async onTouchpointRecorded(event: ReceivedEvent<TouchpointRecorded>, manager: EntityManager): Promise<void> {
    await this.recorder.record(manager, event.id, fromTouchpointRecorded(event));
  }

  @OnEvent(CouponIssuedEvent)
  async onCouponIssued(event: ReceivedEvent<CouponIssued>, manager: EntityManager): Promise<void> {
    await this.recorder.record(manager, event.id, fromCouponIssued(event));
  }

  @OnEvent(CouponRedeemedEvent)
  async onCouponRedeemed(event: ReceivedEvent<CouponRedeemed>, manager: EntityManager): Promise<void> {
    await this.recorder.record(manager, event.id, fromCouponRedeemed(event));
  }
}
