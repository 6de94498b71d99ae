import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { currentPrincipal, principal } from '@crm/platform/auth';
import { isUniqueViolation, requireTenantId, TenantTransactions } from '@crm/platform/database';
import { DomainError } from '@crm/platform/errors';
import { CustomerDirectoryRepository } from '../customers-directory/customer-directory.repository';
import { ProductsRepository } from '../products/products.repository';
import { UsersRepository } from '../users/users.repository';
import { DocumentNumbers } from './document-numbers';
import type { BatchOrdersResultDto, BatchUpsertOrderItemDto, CreateOrderDto, ListOrdersQueryDto, OrderDto, OrderStatus, UpsertOrderDto } from './dto/order.dto';
import { OrderEvents } from './order-events';
import { toOrderDto } from './order.mapper';
import { computeOrderAmounts, OrderAmountError, quantityToMicros, type LineInput } from './order-math';
import { CustomerNotLiveError, ExternalOrderChangedError, OrderAmountsInvalidError, OrderLineInvalidError, OrderNotFoundError, OrderTransitionError, OwnerNotActiveError } from './order.errors';
import { OrdersRepository, type OrderLineRecord, type OrderRecord } from './orders.repository';

export type UpsertOutcome = 'created' | 'unchanged' | 'updated';

/** How far along an order is; cancelled is off the line. */
const RANK: Record<Exclude<OrderStatus, 'cancelled'>, number> = { draft: -1, placed: 0, paid: 1, fulfilled: 2 };

/**
 * Orders: (draft →) placed → paid → fulfilled, or cancelled from draft, placed or paid. A draft (made by
 * an automation rule from a won opportunity, `createDraft`) is no sale yet: no event, not in any report,
 * until `placeDraft` places it (OrderPlaced); a draft cancelled before it was placed emits nothing.
 * Totals are computed here in integer micros from the lines (the client's totals are never trusted). An `externalId` makes
 * creation idempotent for e-commerce/ERP sync: the same externalId with the same content returns the
 * existing order (moving its status forward if the integrator says it moved); with other content it
 * is refused (409), because placed orders are not edited — cancel and place a new one.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly orders: OrdersRepository,
    private readonly products: ProductsRepository,
    private readonly directory: CustomerDirectoryRepository,
    private readonly users: UsersRepository,
    private readonly numbers: DocumentNumbers,
    private readonly events: OrderEvents,
  ) {}

  list(query: ListOrdersQueryDto): Promise<Page<OrderDto>> {
    return this.transactions.run(async (manager) =>
      mapPage(
        await this.orders.list(manager, {
          customerId: query.customerId,
          ownerId: query.ownerId,
          status: query.status,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          limit: query.limit,
          cursor: query.cursor,
          total: query.total,
        }),
        toOrderDto,
      ),
    );
  }

  get(id: string): Promise<OrderDto> {
    return this.transactions.run(async (manager) => toOrderDto(await this.load(manager, id, false)));
  }

  /** Creates the order, or (same externalId) returns the existing one; `status` moves a synchronised order forward. */
  async upsert(input: UpsertOrderDto): Promise<{ order: OrderDto; outcome: UpsertOutcome }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transactions.run((manager) => this.upsertIn(manager, input));
      } catch (error) {
        // Two requests with a new externalId at once: the loser finds the winner's order on the retry.
        if (attempt === 0 && isUniqueViolation(error, 'orders_tenant_external_id_key')) continue;
        throw error;
      }
    }
  }

  /** Up to 1,000 orders by externalId, each in its own transaction; one result per item, failures do not stop the rest. */
  async batch(items: readonly BatchUpsertOrderItemDto[]): Promise<BatchOrdersResultDto> {
    const result: BatchOrdersResultDto = { items: [], created: 0, unchanged: 0, updated: 0, failed: 0 };
    for (const [index, item] of items.entries()) {
      try {
        const { order, outcome } = await this.upsert(item);
        result.items.push({ index, externalId: item.externalId, result: outcome, id: order.id, orderNumber: order.orderNumber });
        result[outcome]++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.items.push({ index, externalId: item.externalId, result: 'failed', code: error.code, detail: error.detail });
        result.failed++;
      }
    }
    return result;
  }

  pay(id: string, expected: number | undefined): Promise<OrderDto> {
    return this.transition(id, expected, async (manager, order, by) => this.applyPay(manager, order, by));
  }

  fulfil(id: string, expected: number | undefined): Promise<OrderDto> {
    return this.transition(id, expected, async (manager, order, by) => this.applyFulfil(manager, order, by));
  }

  /** draft → placed: the order counts from now on (placedAt = now) and OrderPlaced is emitted. */
  placeDraft(id: string, expected: number | undefined): Promise<OrderDto> {
    return this.transition(id, expected, async (manager, order, by) => {
      if (order.status !== 'draft') throw new OrderTransitionError(order.orderNumber, order.status, 'placed');
      const now = new Date();
      const next: OrderRecord = { ...order, status: 'placed', placedAt: now, placedBy: by, version: order.version + 1, updatedAt: now };
      await this.orders.markPlaced(manager, next);
      await this.events.placed(manager, next);
      return next;
    });
  }

  /**
   * A draft order in the caller's transaction (automation: opportunity won → order draft). Same checks
   * and arithmetic as placing one (live customer, active owner, products, amounts); no event.
   */
  createDraft(manager: EntityManager, input: CreateOrderDto & { ownerId: string }): Promise<OrderRecord> {
    return this.place(manager, input, contentHash(input), null, 'draft');
  }

  cancel(id: string, reason: string | undefined, expected: number | undefined): Promise<OrderDto> {
    return this.transition(id, expected, async (manager, order, by) => this.applyCancel(manager, order, by, reason));
  }

  private transition(id: string, expected: number | undefined, apply: (manager: EntityManager, order: OrderRecord, by: string | null) => Promise<OrderRecord>): Promise<OrderDto> {
    return this.transactions.run(async (manager) => {
      const order = await this.load(manager, id, true);
      assertVersion(expected, order.version);
      return toOrderDto(await apply(manager, order, currentPrincipal()?.userId ?? null));
    });
  }

  private async load(manager: EntityManager, id: string, lock: boolean): Promise<OrderRecord> {
    const order = isUuid(id) ? await this.orders.findById(manager, id, { scoped: true, lock }) : null;
    if (!order) throw new OrderNotFoundError(id);
    return order;
  }

  private async upsertIn(manager: EntityManager, input: UpsertOrderDto): Promise<{ order: OrderDto; outcome: UpsertOutcome }> {
    const by = currentPrincipal()?.userId ?? null;
    const hash = contentHash(input);
    if (input.externalId !== undefined) {
      const existing = await this.orders.findByExternalId(manager, input.externalId, true);
      if (existing) {
        if (existing.payloadHash !== hash) throw new ExternalOrderChangedError(input.externalId, existing.orderNumber);
        const moved = await this.advance(manager, existing, input.status, input.cancelReason, by);
        return { order: toOrderDto(moved), outcome: moved.version === existing.version ? 'unchanged' : 'updated' };
      }
    }
    const placed = await this.place(manager, input, hash, by);
    const moved = await this.advance(manager, placed, input.status, input.cancelReason, by);
    return { order: toOrderDto(moved), outcome: 'created' };
  }

  private async place(manager: EntityManager, input: CreateOrderDto, hash: string, by: string | null, status: 'placed' | 'draft' = 'placed'): Promise<OrderRecord> {
    const tenantId = requireTenantId();
    if (!(await this.directory.findLive(manager, input.customerId))) throw new CustomerNotLiveError(input.customerId);
    const ownerId = input.ownerId ?? principal().userId;
    if (input.ownerId !== undefined && !(await this.users.activeIds(manager, [input.ownerId])).has(input.ownerId)) throw new OwnerNotActiveError(input.ownerId);

    const catalog = await this.products.findByIds(manager, input.lines.flatMap((line) => (line.productId ? [line.productId] : [])));
    const described = input.lines.map((line, index) => {
      const product = line.productId ? catalog.get(line.productId) : undefined;
      if (line.productId && !product) throw new OrderLineInvalidError(`lines[${index}]: product ${line.productId} does not exist`);
      const sameCurrency = product?.currency === input.currency;
      const name = line.name ?? product?.name;
      if (!name) throw new OrderLineInvalidError(`lines[${index}]: name is required for a line without a product`);
      const unitPrice = line.unitPriceMicros !== undefined ? BigInt(line.unitPriceMicros) : sameCurrency ? product?.unitPriceMicros : undefined;
      if (unitPrice === undefined) {
        throw new OrderLineInvalidError(`lines[${index}]: unitPriceMicros is required${product ? ` (the product is priced in ${product.currency}, the order in ${input.currency})` : ''}`);
      }
      const unitCost = line.unitCostMicros !== undefined ? BigInt(line.unitCostMicros) : sameCurrency ? (product?.unitCostMicros ?? null) : null;
      return {
        productId: line.productId ?? null,
        sku: line.sku ?? product?.sku ?? null,
        name,
        category: line.category ?? product?.category ?? null,
        quantity: line.quantity,
        input: { quantityMicros: quantityToMicros(line.quantity), unitPriceMicros: unitPrice, discountMicros: BigInt(line.discountMicros ?? '0'), unitCostMicros: unitCost } satisfies LineInput,
      };
    });

    let amounts;
    try {
      amounts = computeOrderAmounts(
        described.map((line) => line.input),
        BigInt(input.discountMicros ?? '0'),
      );
    } catch (error) {
      if (error instanceof OrderAmountError) throw new OrderAmountsInvalidError(error.message);
      throw error;
    }

    const now = new Date();
    const placedAt = input.placedAt ? new Date(input.placedAt) : now;
    const seenProducts = new Set<string>();
    const lines: OrderLineRecord[] = described.map((line, index) => ({
      lineNo: index + 1,
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      category: line.category,
      quantity: (Number(line.input.quantityMicros) / 1_000_000).toFixed(6),
      unitPriceMicros: line.input.unitPriceMicros,
      discountMicros: line.input.discountMicros,
      lineTotalMicros: amounts.lines[index].lineTotalMicros,
      netMicros: amounts.lines[index].netMicros,
      unitCostMicros: line.input.unitCostMicros,
      costMicros: amounts.lines[index].costMicros,
      firstOfProduct: firstTime(seenProducts, productKey(line)),
    }));
    const order: OrderRecord = {
      id: randomUUID(),
      tenantId,
      orderNumber: await this.numbers.next(manager, tenantId, 'order', placedAt),
      externalId: input.externalId ?? null,
      payloadHash: hash,
      customerId: input.customerId.toLowerCase(),
      ownerId,
      status,
      currency: input.currency,
      subtotalMicros: amounts.subtotalMicros,
      discountMicros: amounts.discountMicros,
      totalMicros: amounts.totalMicros,
      costedRevenueMicros: amounts.costedRevenueMicros,
      costMicros: amounts.costMicros,
      couponCodes: [...new Set(input.couponCodes ?? [])],
      channel: input.channel ?? 'sales',
      opportunityId: input.opportunityId ?? null,
      partnerId: input.partnerId ?? null,
      notes: input.notes ?? null,
      placedBy: by,
      placedAt,
      paidAt: null,
      fulfilledAt: null,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      lines,
    };
    await this.orders.insert(manager, order);
    if (status === 'placed') await this.events.placed(manager, order);
    return order;
  }

  /** Moves a synchronised order forward to `target` (never back; an earlier status is no change). */
  private async advance(manager: EntityManager, order: OrderRecord, target: OrderStatus | undefined, reason: string | undefined, by: string | null): Promise<OrderRecord> {
    if (target === undefined || target === order.status) return order;
    if (target === 'cancelled') return this.applyCancel(manager, order, by, reason);
    if (order.status === 'cancelled') throw new OrderTransitionError(order.orderNumber, order.status, target);
    let current = order;
    while (RANK[current.status as keyof typeof RANK] < RANK[target]) {
      current = current.status === 'placed' ? await this.applyPay(manager, current, by) : await this.applyFulfil(manager, current, by);
    }
    return current;
  }

  private async applyPay(manager: EntityManager, order: OrderRecord, by: string | null): Promise<OrderRecord> {
    if (order.status !== 'placed') throw new OrderTransitionError(order.orderNumber, order.status, 'paid');
    const now = new Date();
    const next: OrderRecord = { ...order, status: 'paid', paidAt: now, version: order.version + 1, updatedAt: now };
    await this.orders.saveStatus(manager, next);
    await this.events.paid(manager, next, by);
    return next;
  }

  private async applyFulfil(manager: EntityManager, order: OrderRecord, by: string | null): Promise<OrderRecord> {
    if (order.status !== 'paid') throw new OrderTransitionError(order.orderNumber, order.status, 'fulfilled');
    const now = new Date();
    const next: OrderRecord = { ...order, status: 'fulfilled', fulfilledAt: now, version: order.version + 1, updatedAt: now };
    await this.orders.saveStatus(manager, next);
    await this.events.fulfilled(manager, next, by);
    return next;
  }

  private async applyCancel(manager: EntityManager, order: OrderRecord, by: string | null, reason: string | undefined): Promise<OrderRecord> {
    if (order.status !== 'draft' && order.status !== 'placed' && order.status !== 'paid') throw new OrderTransitionError(order.orderNumber, order.status, 'cancelled');
    const now = new Date();
    const next: OrderRecord = { ...order, status: 'cancelled', cancelledAt: now, cancelledBy: by, cancelReason: reason ?? null, version: order.version + 1, updatedAt: now };
    await this.orders.saveStatus(manager, next);
    // A draft was never placed: nobody downstream knows it, so there is nothing to take back.
    if (order.status !== 'draft') await this.events.cancelled(manager, next);
    return next;
  }
}

/** The product a line is reported under: its product id, else its SKU, else its name (as the sales report groups). */
function productKey(line: { productId: string | null; sku: string | null; name: string }): string {
  return line.productId ? line.productId : line.sku !== null ? `sku:${line.sku}` : `name:${line.name}`;
}

function firstTime(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * What makes two submissions "the same order": customer, currency, lines as given, order discount,
 * coupons, channel, opportunity and partner. Owner, placedAt, notes and status are not content (a
 * replay with a later status moves the order forward).
 */
export function contentHash(input: CreateOrderDto): string {
  const canonical = {
    customerId: input.customerId.toLowerCase(),
    currency: input.currency,
    lines: input.lines.map((line) => [
      line.productId?.toLowerCase() ?? null,
      line.sku ?? null,
      line.name ?? null,
      line.category ?? null,
      line.quantity,
      line.unitPriceMicros ?? null,
      line.discountMicros ?? '0',
      line.unitCostMicros ?? null,
    ]),
    discountMicros: input.discountMicros ?? '0',
    couponCodes: [...new Set(input.couponCodes ?? [])].sort(),
    channel: input.channel ?? 'sales',
    opportunityId: input.opportunityId?.toLowerCase() ?? null,
    partnerId: input.partnerId?.toLowerCase() ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
