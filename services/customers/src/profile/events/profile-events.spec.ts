import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ActivityLoggedSchema, CustomerScoresChangedSchema, OrderCancelledSchema, OrderPlacedSchema, TicketOpenedSchema } from '@crm/contracts';
import { PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { fromCustomerScoresChanged } from './analytics-events';
import { formatMoney, requiredTime } from './event-fields';
import { fromActivityLogged, fromOrderCancelled, fromOrderPlaced } from './sales-events';
import { fromTicketOpened } from './ticketing-events';

const tenantId = randomUUID();
const customerId = randomUUID();

function received<T>(data: T, tenant = tenantId): ReceivedEvent<T> {
  return { id: randomUUID(), type: 't', source: 's', time: new Date().toISOString(), subject: 'x', tenantId: tenant, topic: 'x', data, attempt: 1 };
}

const order = (overrides: Record<string, unknown> = {}) =>
  create(OrderPlacedSchema, {
    tenantId,
    orderId: randomUUID(),
    customerId,
    orderNumber: 'SO-1',
    lines: [
      { productName: '手机', quantity: 1, lineTotalMicros: 1_000_000n },
      { productName: '手机壳', quantity: 2, lineTotalMicros: 280_000n },
      { productName: '贴膜', quantity: 1, lineTotalMicros: 0n },
      { productName: '耳机', quantity: 1, lineTotalMicros: 0n },
    ],
    currency: 'CNY',
    totalAmountMicros: 1_280_000n,
    placedAt: '2025-03-01T08:00:00Z',
    version: 1n,
    ...overrides,
  });

describe('profile events', () => {
  it('turns an order into an entry with its lines and a fact with its total and placing time', () => {
    const event = fromOrderPlaced(received(order()));
    expect(event.entry).toMatchObject({ type: 'order.placed', title: 'Order SO-1 placed: 1.28 CNY', summary: '手机 ×1, 手机壳 ×2, 贴膜 ×1, +1' });
    expect(event.fact).toMatchObject({ kind: 'order', status: 'placed', amountMicros: 1_280_000n, currency: 'CNY', version: 1n, occurredAt: new Date('2025-03-01T08:00:00Z') });
  });

  it('keeps the placing time on a cancel, so a cancel that overtakes its order leaves the same fact', () => {
    const cancelled = fromOrderCancelled(
      received(create(OrderCancelledSchema, { tenantId, orderId: randomUUID(), customerId, currency: 'CNY', totalAmountMicros: 5n, placedAt: '2025-03-01T08:00:00Z', cancelledAt: '2025-03-02T08:00:00Z', version: 2n })),
    );
    expect(cancelled.fact).toMatchObject({ status: 'cancelled', occurredAt: new Date('2025-03-01T08:00:00Z'), version: 2n });
    expect(cancelled.entry.occurredAt).toEqual(new Date('2025-03-02T08:00:00Z'));
  });

  it.each([
    ['a payload of another tenant', () => fromOrderPlaced(received(order(), randomUUID())), 'arrived as tenant'],
    ['a customer id that is no uuid', () => fromOrderPlaced(received(order({ customerId: 'C-1' }))), 'customerId'],
    ['a currency that is no ISO code', () => fromOrderPlaced(received(order({ currency: 'rmb' }))), 'ISO 4217'],
    ['a negative total', () => fromOrderPlaced(received(order({ totalAmountMicros: -1n }))), 'negative'],
    ['a time that is no ISO 8601', () => fromOrderPlaced(received(order({ placedAt: '2025/03/01' }))), 'ISO 8601'],
    ['version 0', () => fromOrderPlaced(received(order({ version: 0n }))), 'version'],
    ['an unknown ticket status', () => fromTicketOpened(received(create(TicketOpenedSchema, { tenantId, ticketId: randomUUID(), customerId, status: 'lost', openedAt: '2025-03-01T08:00:00Z', version: 1n }))), 'status'],
    [
      'a churn probability above 1',
      () => fromCustomerScoresChanged(received(create(CustomerScoresChangedSchema, { tenantId, customerId, currency: 'CNY', churnProbability: 1.5, churnBand: 'high', computedAt: '2025-03-01T08:00:00Z' }))),
      'churnProbability',
    ],
  ])('refuses %s as poison', (_what, map, message) => {
    expect(map).toThrow(PoisonMessageError);
    expect(map).toThrow(message);
  });

  it('records nothing for a ticket or activity without a customer', () => {
    expect(fromTicketOpened(received(create(TicketOpenedSchema, { tenantId, ticketId: randomUUID(), customerId: '', status: 'new', openedAt: '2025-03-01T08:00:00Z', version: 1n })))).toBeNull();
    const activity = (data: { kind: string; leadId: string }) => received(create(ActivityLoggedSchema, { tenantId, activityId: randomUUID(), occurredAt: '2025-03-01T08:00:00Z', ...data }));
    expect(fromActivityLogged(activity({ kind: 'call', leadId: randomUUID() }))).toBeNull();
  });

  it('counts calls and visits as contacts, notes not', () => {
    const activity = (kind: string) => fromActivityLogged(received(create(ActivityLoggedSchema, { tenantId, activityId: randomUUID(), customerId, kind, subject: '回访', occurredAt: '2025-03-01T08:00:00Z' })));
    expect(activity('visit')?.fact).toMatchObject({ kind: 'contact' });
    expect(activity('note')?.fact).toBeUndefined();
    expect(activity('note')?.entry.title).toBe('Note: 回访');
  });
});

describe('event fields', () => {
  it('formats micros rounded to cents', () => {
    expect(formatMoney(1_234_565_000n, 'CNY')).toBe('1234.57 CNY');
    expect(formatMoney(0n, 'USD')).toBe('0.00 USD');
    expect(formatMoney(-1_500_000n, 'CNY')).toBe('-1.50 CNY');
  });

  it('reads ISO 8601 times with an offset', () => {
    expect(requiredTime('2025-03-01T16:00:00+08:00', 'at')).toEqual(new Date('2025-03-01T08:00:00Z'));
  });
});
