import type { CouponIssued, CouponRedeemed, TouchpointRecorded } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/platform/messaging';
import type { ProfileEvent } from '../profile-event';
import { assertSameTenant, clip, currencyCode, formatMoney, money, nonNegative, optionalUuid, requiredTime, requiredUuid } from './event-fields';

/** Touchpoints and coupons are timeline entries only; the summary counts none of them. */

export function fromTouchpointRecorded(event: ReceivedEvent<TouchpointRecorded>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const touchpointId = requiredUuid(data.touchpointId, 'touchpointId');
  const campaign = data.campaignName || 'a message';
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'touchpoint.recorded',
      occurredAt: requiredTime(data.occurredAt, 'occurredAt'),
      title: clip(`${data.channel} ${data.kind}: ${campaign}`, 200),
      summary: data.url ? clip(data.url, 500) : null,
      referenceId: touchpointId,
      actorId: null,
      payload: {
        kind: data.kind,
        channel: data.channel,
        campaignId: optionalUuid(data.campaignId, 'campaignId'),
        campaignName: data.campaignName,
        journeyId: optionalUuid(data.journeyId, 'journeyId'),
        deliveryId: optionalUuid(data.deliveryId, 'deliveryId'),
        variant: data.variant,
        orderId: optionalUuid(data.orderId, 'orderId'),
      },
    },
  };
}

export function fromCouponIssued(event: ReceivedEvent<CouponIssued>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const couponId = requiredUuid(data.couponId, 'couponId');
  const discount =
    data.discountKind === 'percent' ? `${data.discountPercent}% off` : formatMoney(nonNegative(data.discountAmountMicros, 'discountAmountMicros'), currencyCode(data.currency, 'currency'));
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'coupon.issued',
      occurredAt: requiredTime(data.issuedAt, 'issuedAt'),
      title: clip(`Coupon ${data.code} issued: ${discount}${data.promotionName ? ` (${data.promotionName})` : ''}`, 200),
      summary: data.expiresAt ? `Valid until ${requiredTime(data.expiresAt, 'expiresAt').toISOString()}` : null,
      referenceId: couponId,
      actorId: null,
      payload: {
        code: data.code,
        promotionId: optionalUuid(data.promotionId, 'promotionId'),
        promotionName: data.promotionName,
        campaignId: optionalUuid(data.campaignId, 'campaignId'),
        discountKind: data.discountKind,
        discountPercent: data.discountPercent,
        discountAmount: data.discountKind === 'percent' ? null : money(data.discountAmountMicros, data.currency),
        expiresAt: data.expiresAt || null,
      },
    },
  };
}

export function fromCouponRedeemed(event: ReceivedEvent<CouponRedeemed>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const couponId = requiredUuid(data.couponId, 'couponId');
  const currency = currencyCode(data.currency, 'currency');
  const discount = nonNegative(data.discountAmountMicros, 'discountAmountMicros');
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'coupon.redeemed',
      occurredAt: requiredTime(data.redeemedAt, 'redeemedAt'),
      title: `Coupon ${data.code} redeemed: ${formatMoney(discount, currency)} off`,
      summary: null,
      referenceId: couponId,
      actorId: null,
      payload: {
        code: data.code,
        promotionId: optionalUuid(data.promotionId, 'promotionId'),
        promotionName: data.promotionName,
        orderId: optionalUuid(data.orderId, 'orderId'),
        discount: money(discount, currency),
      },
    },
  };
}
