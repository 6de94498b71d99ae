import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  OrderCancelledEvent,
  OrderCancelledSchema,
  OrderFulfilledEvent,
  OrderFulfilledSchema,
  OrderLineSchema,
  OrderPaidEvent,
  OrderPaidSchema,
  OrderPlacedEvent,
  OrderPlacedSchema,
} from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import type { OrderRecord } from './orders.repository';

/** sales.order.v1 through the outbox, in the transaction of the change; every event carries the order's new version. */
@Injectable()
export class OrderEvents {
  constructor(private readonly eventBus: EventBus) {}

  async placed(manager: EntityManager, order: OrderRecord): Promise<void> {
    await this.eventBus.publish(
      manager,
      OrderPlacedEvent,
      create(OrderPlacedSchema, {
        tenantId: order.tenantId,
        orderId: order.id,
        customerId: order.customerId,
        orderNumber: order.orderNumber,
        externalId: order.externalId ?? '',
        lines: order.lines.map((line) =>
          create(OrderLineSchema, {
            productId: line.productId ?? '',
            sku: line.sku ?? '',
            productName: line.name,
            category: line.category ?? '',
            quantity: Number(line.quantity),
            unitPriceMicros: line.unitPriceMicros,
            discountMicros: line.discountMicros,
            lineTotalMicros: line.lineTotalMicros,
            unitCostMicros: line.unitCostMicros ?? undefined,
          }),
        ),
        currency: order.currency,
        subtotalMicros: order.subtotalMicros,
        discountMicros: order.discountMicros,
        totalAmountMicros: order.totalMicros,
        couponCodes: order.couponCodes,
        channel: order.channel,
        opportunityId: order.opportunityId ?? '',
        partnerId: order.partnerId ?? '',
        ownerId: order.ownerId,
        placedBy: order.placedBy ?? '',
        placedAt: order.placedAt.toISOString(),
        version: BigInt(order.version),
      }),
      { subject: order.id, tenantId: order.tenantId },
    );
  }

  async paid(manager: EntityManager, order: OrderRecord, by: string | null): Promise<void> {
    await this.eventBus.publish(
      manager,
      OrderPaidEvent,
      create(OrderPaidSchema, {
        ...this.common(order),
        paidBy: by ?? '',
        paidAt: order.paidAt?.toISOString() ?? '',
      }),
      { subject: order.id, tenantId: order.tenantId },
    );
  }

  async fulfilled(manager: EntityManager, order: OrderRecord, by: string | null): Promise<void> {
    await this.eventBus.publish(
      manager,
      OrderFulfilledEvent,
      create(OrderFulfilledSchema, {
        ...this.common(order),
        fulfilledBy: by ?? '',
        fulfilledAt: order.fulfilledAt?.toISOString() ?? '',
      }),
      { subject: order.id, tenantId: order.tenantId },
    );
  }

  async cancelled(manager: EntityManager, order: OrderRecord): Promise<void> {
    await this.eventBus.publish(
      manager,
      OrderCancelledEvent,
      create(OrderCancelledSchema, {
        ...this.common(order),
        reason: order.cancelReason ?? '',
        cancelledBy: order.cancelledBy ?? '',
        cancelledAt: order.cancelledAt?.toISOString() ?? '',
      }),
      { subject: order.id, tenantId: order.tenantId },
    );
  }

  private common(order: OrderRecord) {
    return {
      tenantId: order.tenantId,
      orderId: order.id,
      customerId: order.customerId,
      orderNumber: order.orderNumber,
      currency: order.currency,
      totalAmountMicros: order.totalMicros,
      ownerId: order.ownerId,
      placedAt: order.placedAt.toISOString(),
      version: BigInt(order.version),
    };
  }
}
