import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';
import type { OrderStatus } from './dto/order.dto';
import { ownerScopeSql } from './owner-scope-sql';

export interface OrderLineRecord {
  lineNo: number;
  productId: string | null;
  sku: string | null;
  name: string;
  category: string | null;
  /** Decimal string as stored (numeric(18,6)), e.g. "1.500000". */
  quantity: string;
  unitPriceMicros: bigint;
  discountMicros: bigint;
  lineTotalMicros: bigint;
  netMicros: bigint;
  unitCostMicros: bigint | null;
  costMicros: bigint | null;
  /** The first line of its product (product id, else sku, else name) in the order: counts the order once per product. */
  firstOfProduct: boolean;
}

export interface OrderRecord {
  id: string;
  tenantId: string;
  orderNumber: string;
  externalId: string | null;
  payloadHash: string;
  customerId: string;
  ownerId: string;
  status: OrderStatus;
  currency: string;
  subtotalMicros: bigint;
  discountMicros: bigint;
  totalMicros: bigint;
  costedRevenueMicros: bigint;
  costMicros: bigint;
  couponCodes: string[];
  channel: string;
  opportunityId: string | null;
  partnerId: string | null;
  notes: string | null;
  placedBy: string | null;
  placedAt: Date;
  paidAt: Date | null;
  fulfilledAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lines: OrderLineRecord[];
}

export interface OrderFilter {
  customerId?: string;
  ownerId?: string;
  status?: OrderStatus;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
  total?: boolean;
}

type Raw = Record<string, unknown>;
const big = (value: unknown): bigint => BigInt(value as string);
const bigOrNull = (value: unknown): bigint | null => (value === null || value === undefined ? null : BigInt(value as string));

const ORDER_COLUMNS = `o.id, o.tenant_id, o.order_number, o.external_id, o.payload_hash, o.customer_id, o.owner_id, o.status, o.currency,
  o.subtotal_micros, o.discount_micros, o.total_micros, o.costed_revenue_micros, o.cost_micros, o.coupon_codes, o.channel,
  o.opportunity_id, o.partner_id, o.notes, o.placed_by, o.placed_at, o.paid_at, o.fulfilled_at, o.cancelled_at, o.cancelled_by,
  o.cancel_reason, o.version, o.created_at, o.updated_at`;

function toOrder(row: Raw, lines: OrderLineRecord[]): OrderRecord {
  return {
    id: row.id as string,
    tenantId: row.tenant_id as string,
    orderNumber: row.order_number as string,
    externalId: row.external_id as string | null,
    payloadHash: row.payload_hash as string,
    customerId: row.customer_id as string,
    ownerId: row.owner_id as string,
    status: row.status as OrderStatus,
    currency: row.currency as string,
    subtotalMicros: big(row.subtotal_micros),
    discountMicros: big(row.discount_micros),
    totalMicros: big(row.total_micros),
    costedRevenueMicros: big(row.costed_revenue_micros),
    costMicros: big(row.cost_micros),
    couponCodes: row.coupon_codes as string[],
    channel: row.channel as string,
    opportunityId: row.opportunity_id as string | null,
    partnerId: row.partner_id as string | null,
    notes: row.notes as string | null,
    placedBy: row.placed_by as string | null,
    placedAt: row.placed_at as Date,
    paidAt: row.paid_at as Date | null,
    fulfilledAt: row.fulfilled_at as Date | null,
    cancelledAt: row.cancelled_at as Date | null,
    cancelledBy: row.cancelled_by as string | null,
    cancelReason: row.cancel_reason as string | null,
    version: row.version as number,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    lines,
  };
}

function toLine(row: Raw): OrderLineRecord {
  return {
    lineNo: row.line_no as number,
    productId: row.product_id as string | null,
    sku: row.sku as string | null,
    name: row.name as string,
    category: row.category as string | null,
    quantity: row.quantity as string,
    unitPriceMicros: big(row.unit_price_micros),
    discountMicros: big(row.discount_micros),
    lineTotalMicros: big(row.line_total_micros),
    netMicros: big(row.net_micros),
    unitCostMicros: bigOrNull(row.unit_cost_micros),
    costMicros: bigOrNull(row.cost_micros),
    firstOfProduct: row.first_of_product as boolean,
  };
}

/** Orders and their lines of the current tenant, in raw SQL. */
@Injectable()
export class OrdersRepository {
  async insert(manager: EntityManager, order: OrderRecord): Promise<void> {
    await manager.query(
      `INSERT INTO orders (id, tenant_id, order_number, external_id, payload_hash, customer_id, owner_id, status, currency, subtotal_micros,
         discount_micros, total_micros, costed_revenue_micros, cost_micros, coupon_codes, channel, opportunity_id, partner_id, notes, placed_by,
         placed_at, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)`,
      [
        order.id,
        order.tenantId,
        order.orderNumber,
        order.externalId,
        order.payloadHash,
        order.customerId,
        order.ownerId,
        order.status,
        order.currency,
        order.subtotalMicros.toString(),
        order.discountMicros.toString(),
        order.totalMicros.toString(),
        order.costedRevenueMicros.toString(),
        order.costMicros.toString(),
        order.couponCodes,
        order.channel,
        order.opportunityId,
        order.partnerId,
        order.notes,
        order.placedBy,
        order.placedAt,
        order.version,
        order.createdAt,
      ],
    );
    const lines = order.lines;
    await manager.query(
      `INSERT INTO order_lines (id, tenant_id, order_id, line_no, product_id, sku, name, category, quantity, unit_price_micros, discount_micros,
         line_total_micros, net_micros, unit_cost_micros, cost_micros, placed_at, currency, owner_id, cancelled, first_of_product, draft)
       SELECT gen_random_uuid(), $1, $2, l.line_no, l.product_id, l.sku, l.name, l.category, l.quantity, l.unit_price, l.discount, l.line_total, l.net, l.unit_cost, l.cost,
              $15, $16, $17, $18, l.first_of_product, $20
         FROM unnest($3::int[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $19::boolean[])
           AS l(line_no, product_id, sku, name, category, quantity, unit_price, discount, line_total, net, unit_cost, cost, first_of_product)`,
      [
        order.tenantId,
        order.id,
        lines.map((line) => line.lineNo),
        lines.map((line) => line.productId),
        lines.map((line) => line.sku),
        lines.map((line) => line.name),
        lines.map((line) => line.category),
        lines.map((line) => line.quantity),
        lines.map((line) => line.unitPriceMicros.toString()),
        lines.map((line) => line.discountMicros.toString()),
        lines.map((line) => line.lineTotalMicros.toString()),
        lines.map((line) => line.netMicros.toString()),
        lines.map((line) => line.unitCostMicros?.toString() ?? null),
        lines.map((line) => line.costMicros?.toString() ?? null),
        order.placedAt,
        order.currency,
        order.ownerId,
        order.status === 'cancelled',
        lines.map((line) => line.firstOfProduct),
        order.status === 'draft',
      ],
    );
  }

  /** The order if it exists in the tenant and, when `scoped`, in the caller's ownership scope; `lock` holds it for an update. */
  async findById(manager: EntityManager, id: string, options: { scoped: boolean; lock?: boolean }): Promise<OrderRecord | null> {
    const params: unknown[] = [requireTenantId(), id];
    const scope = options.scoped ? ownerScopeSql('o.owner_id', params) : 'TRUE';
    const rows: Raw[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.id = $2 AND ${scope}${options.lock ? ' FOR UPDATE' : ''}`, params);
    return rows[0] ? toOrder(rows[0], await this.linesOf(manager, [id]).then((map) => map.get(id) ?? [])) : null;
  }

  async findByExternalId(manager: EntityManager, externalId: string, lock = false): Promise<OrderRecord | null> {
    const rows: Raw[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.external_id = $2${lock ? ' FOR UPDATE' : ''}`, [requireTenantId(), externalId]);
    if (!rows[0]) return null;
    const id = rows[0].id as string;
    return toOrder(rows[0], (await this.linesOf(manager, [id])).get(id) ?? []);
  }

  /** Newest placed first, keyset on (placed_at, id); in the caller's scope. */
  async list(manager: EntityManager, filter: OrderFilter): Promise<Page<OrderRecord>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['o.tenant_id = $1', ownerScopeSql('o.owner_id', params)];
    const add = (sql: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.customerId) add((p) => `o.customer_id = ${p}`, filter.customerId);
    if (filter.ownerId) add((p) => `o.owner_id = ${p}`, filter.ownerId);
    if (filter.status) add((p) => `o.status = ${p}`, filter.status);
    if (filter.from) add((p) => `o.placed_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `o.placed_at < ${p}`, filter.to);
    let total: number | undefined;
    if (filter.total) {
      const counted: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM orders o WHERE ${where.join(' AND ')}`, params);
      total = Number(counted[0].count);
    }
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      params.push(after.at, after.id);
      where.push(`(o.placed_at, o.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows: Raw[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE ${where.join(' AND ')} ORDER BY o.placed_at DESC, o.id DESC LIMIT $${params.length}`, params);
    const pageRows = rows.slice(0, filter.limit);
    const lines = await this.linesOf(manager, pageRows.map((row) => row.id as string));
    const items = pageRows.map((row) => toOrder(row, lines.get(row.id as string) ?? []));
    const last = items[items.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: last.placedAt, id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /** Writes the status fields of `order` and bumps its version. */
  async saveStatus(manager: EntityManager, order: OrderRecord): Promise<void> {
    await manager.query(
      `UPDATE orders SET status = $3, paid_at = $4, fulfilled_at = $5, cancelled_at = $6, cancelled_by = $7, cancel_reason = $8, version = $9, updated_at = $10
        WHERE tenant_id = $1 AND id = $2`,
      [order.tenantId, order.id, order.status, order.paidAt, order.fulfilledAt, order.cancelledAt, order.cancelledBy, order.cancelReason, order.version, order.updatedAt],
    );
    if (order.status === 'cancelled') await manager.query(`UPDATE order_lines SET cancelled = true WHERE tenant_id = $1 AND order_id = $2`, [order.tenantId, order.id]);
  }

  /** A draft becomes a placed order: status, placed time and placer, and its lines start to count (sales report by product). */
  async markPlaced(manager: EntityManager, order: OrderRecord): Promise<void> {
    await manager.query(`UPDATE orders SET status = $3, placed_at = $4, placed_by = $5, version = $6, updated_at = $7 WHERE tenant_id = $1 AND id = $2`, [
      order.tenantId,
      order.id,
      order.status,
      order.placedAt,
      order.placedBy,
      order.version,
      order.updatedAt,
    ]);
    await manager.query(`UPDATE order_lines SET draft = false, placed_at = $3 WHERE tenant_id = $1 AND order_id = $2`, [order.tenantId, order.id, order.placedAt]);
  }

  private async linesOf(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, OrderLineRecord[]>> {
    const map = new Map<string, OrderLineRecord[]>();
    if (orderIds.length === 0) return map;
    const rows: Raw[] = await manager.query(
      `SELECT order_id, line_no, product_id, sku, name, category, quantity::text AS quantity, unit_price_micros, discount_micros, line_total_micros, net_micros, unit_cost_micros, cost_micros, first_of_product
         FROM order_lines WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`,
      [[...orderIds]],
    );
    for (const row of rows) {
      const list = map.get(row.order_id as string) ?? [];
      list.push(toLine(row));
      map.set(row.order_id as string, list);
    }
    return map;
  }
}
