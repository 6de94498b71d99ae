import { toMoney } from '@crm/platform/api';
import type { OrderDto } from './dto/order.dto';
import type { OrderRecord } from './orders.repository';

export function toOrderDto(order: OrderRecord): OrderDto {
  const money = (micros: bigint) => toMoney(micros, order.currency);
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    externalId: order.externalId,
    customerId: order.customerId,
    ownerId: order.ownerId,
    status: order.status,
    currency: order.currency,
    lines: order.lines.map((line) => ({
      lineNo: line.lineNo,
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      category: line.category,
      quantity: Number(line.quantity),
      unitPrice: money(line.unitPriceMicros),
      discount: money(line.discountMicros),
      lineTotal: money(line.lineTotalMicros),
      unitCost: line.unitCostMicros === null ? null : money(line.unitCostMicros),
    })),
    subtotal: money(order.subtotalMicros),
    discount: money(order.discountMicros),
    total: money(order.totalMicros),
    couponCodes: order.couponCodes,
    channel: order.channel,
    opportunityId: order.opportunityId,
    partnerId: order.partnerId,
    notes: order.notes,
    placedBy: order.placedBy,
    placedAt: order.placedAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    fulfilledAt: order.fulfilledAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    cancelReason: order.cancelReason,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
