import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  ActivityLoggedEvent,
  ActivityLoggedSchema,
  ContractSignedEvent,
  ContractSignedSchema,
  CouponIssuedEvent,
  CouponIssuedSchema,
  CustomerScoresChangedEvent,
  CustomerScoresChangedSchema,
  OpportunityLostEvent,
  OpportunityLostSchema,
  OpportunityOpenedEvent,
  OpportunityOpenedSchema,
  OpportunityStageChangedEvent,
  OpportunityStageChangedSchema,
  OpportunityWonEvent,
  OpportunityWonSchema,
  OrderCancelledEvent,
  OrderCancelledSchema,
  OrderPlacedEvent,
  OrderPlacedSchema,
  SurveyAnsweredEvent,
  SurveyAnsweredSchema,
  TicketOpenedEvent,
  TicketOpenedSchema,
  TicketResolvedEvent,
  TicketResolvedSchema,
  TicketStatusChangedEvent,
  TicketStatusChangedSchema,
  TouchpointRecordedEvent,
  TouchpointRecordedSchema,
} from '@crm/contracts';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { LifecycleSweeper } from '../src/lifecycle/lifecycle-sweeper';
import { ProfileDataHolder } from '../src/profile/profile-data.holder';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const CNY = 1_000_000n;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

interface Money {
  amountMicros: string;
  currency: string;
}

interface Summary {
  lifetimeRevenue: Money[];
  ordersCount: number;
  lastOrderAt: string | null;
  openOpportunities: { count: number; amount: Money[] };
  openTickets: number;
  lastContactAt: string | null;
  csat: { average: number | null; count: number };
  scores: { valueTier: string | null; vip: boolean; churnBand: string; churnRisk: number; rfm: unknown; clvHistoric: Money; computedAt: string } | null;
  updatedAt: string | null;
}

interface Entry {
  id: string;
  type: string;
  source: string;
  title: string;
  summary: string | null;
  referenceId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The 360° profile and timeline fed by sales, ticketing, marketing and analytics events, and the lifecycle stage they drive. */
describe('customers: 360° profile, timeline and lifecycle', () => {
  let customers: CustomersHarness;
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  let admin: Identity;
  let rep: Identity;
  let otherRep: Identity;

  beforeAll(async () => {
    // The periodic sweep stays off: the tests run it when they mean to.
    customers = await CustomersHarness.start('customers_profile', { CUSTOMERS_LIFECYCLE_SWEEP_MINUTES: '0' });
    admin = caller(tenant, ['admin']);
    rep = caller(tenant, ['rep']);
    otherRep = caller(tenant, ['rep']);
    for (const user of [rep, otherRep]) await customers.publishUser('created', { tenantId: tenant, userId: user.userId, roles: ['rep'] });
  });
  afterAll(() => customers?.stop());

  const createCustomer = async (body: Record<string, unknown> = {}): Promise<{ id: string; version: number }> =>
    (await customers.as(rep).post('/customers').send({ type: 'person', name: '王小明', phones: ['13800138000'], ...body }).expect(201)).body;
  const profileOf = async (id: string, as: Identity = rep): Promise<{ customer: Record<string, unknown>; summary: Summary }> => (await customers.as(as).get(`/customers/${id}/profile`).expect(200)).body;
  const timelineOf = async (id: string, query = '', as: Identity = rep): Promise<{ items: Entry[]; nextCursor: string | null; total?: number }> =>
    (await customers.as(as).get(`/customers/${id}/timeline${query}`).expect(200)).body;
  const customerOf = async (id: string): Promise<{ lifecycleStage: string; valueTier: string | null; tags: string[]; version: number }> =>
    (await customers.as(admin).get(`/customers/${id}`).expect(200)).body;
  const deadLetters = (subject: string): Promise<Array<{ error: string }>> =>
    customers.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE envelope->>'subject' = $1`, [subject]);

  // --- Events as their producers will publish them

  const placeOrder = (customerId: string, o: { orderId?: string; total: bigint; currency?: string; placedAt?: string; version?: bigint; eventId?: string; tenantId?: string }) => {
    const orderId = o.orderId ?? randomUUID();
    const message = create(OrderPlacedSchema, {
      tenantId: o.tenantId ?? tenant,
      orderId,
      customerId,
      orderNumber: `SO-${orderId.slice(0, 6)}`,
      lines: [{ productName: '手机', quantity: 1, unitPriceMicros: o.total, lineTotalMicros: o.total }],
      currency: o.currency ?? 'CNY',
      subtotalMicros: o.total,
      totalAmountMicros: o.total,
      channel: 'web',
      ownerId: rep.userId,
      placedAt: o.placedAt ?? new Date().toISOString(),
      version: o.version ?? 1n,
    });
    return customers.publishEvent(OrderPlacedEvent, message, orderId, o.eventId).then(() => orderId);
  };
  const cancelOrder = (customerId: string, o: { orderId: string; total: bigint; placedAt?: string; version: bigint }) =>
    customers.publishEvent(
      OrderCancelledEvent,
      create(OrderCancelledSchema, {
        tenantId: tenant,
        orderId: o.orderId,
        customerId,
        currency: 'CNY',
        totalAmountMicros: o.total,
        reason: '客户取消',
        placedAt: o.placedAt ?? '',
        cancelledAt: new Date().toISOString(),
        version: o.version,
      }),
      o.orderId,
    );
  const pipeline = { pipelineId: randomUUID(), currency: 'CNY' };

  describe('summary', () => {
    it('counts orders not cancelled, per currency, whatever order the events come in', async () => {
      const { id } = await createCustomer();
      const [threeDaysAgo, twoDaysAgo, yesterday] = [ago(3), ago(2), ago(1)];
      await placeOrder(id, { total: 100n * CNY, placedAt: threeDaysAgo });
      const cancelled = await placeOrder(id, { total: 50n * CNY, placedAt: yesterday });
      await placeOrder(id, { total: 20n * CNY, currency: 'USD', placedAt: twoDaysAgo });
      await cancelOrder(id, { orderId: cancelled, total: 50n * CNY, placedAt: yesterday, version: 2n });
      // A cancel that overtakes its order: the order never counts.
      const overtaken = randomUUID();
      await cancelOrder(id, { orderId: overtaken, total: 999n * CNY, placedAt: ago(0), version: 2n });
      await placeOrder(id, { orderId: overtaken, total: 999n * CNY, placedAt: ago(0), version: 1n });

      const { summary } = await profileOf(id);
      expect(summary.lifetimeRevenue).toEqual([
        { amountMicros: String(100n * CNY), currency: 'CNY' },
        { amountMicros: String(20n * CNY), currency: 'USD' },
      ]);
      expect(summary.ordersCount).toBe(2);
      expect(summary.lastOrderAt).toBe(twoDaysAgo);
    });

    it('keeps open opportunities with their current amount, and leaves won and lost ones out', async () => {
      const { id } = await createCustomer();
      const big = randomUUID();
      const won = randomUUID();
      const lost = randomUUID();
      const opened = (opportunityId: string, amount: bigint) =>
        customers.publishEvent(
          OpportunityOpenedEvent,
          create(OpportunityOpenedSchema, { tenantId: tenant, opportunityId, customerId: id, name: '年度采购', stage: 'initial_contact', stageName: '初步接触', probabilityPercent: 10, amountMicros: amount, openedAt: ago(5), version: 1n, ...pipeline, ownerId: rep.userId }),
          opportunityId,
        );
      await opened(big, 1000n * CNY);
      await opened(won, 500n * CNY);
      await opened(lost, 300n * CNY);
      await customers.publishEvent(
        OpportunityStageChangedEvent,
        create(OpportunityStageChangedSchema, {
          tenantId: tenant,
          opportunityId: big,
          customerId: id,
          name: '年度采购',
          previousStage: 'initial_contact',
          stage: 'proposal',
          stageName: '方案报价',
          probabilityPercent: 60,
          amountMicros: 1200n * CNY,
          expectedCloseDate: '2030-01-31',
          changedBy: rep.userId,
          changedAt: ago(1),
          version: 2n,
          ...pipeline,
          ownerId: rep.userId,
        }),
        big,
      );
      await customers.publishEvent(OpportunityWonEvent, create(OpportunityWonSchema, { tenantId: tenant, opportunityId: won, customerId: id, name: 'x', amountMicros: 500n * CNY, currency: 'CNY', wonAt: ago(1), version: 2n }), won);
      await customers.publishEvent(OpportunityLostEvent, create(OpportunityLostSchema, { tenantId: tenant, opportunityId: lost, customerId: id, name: 'y', amountMicros: 300n * CNY, currency: 'CNY', reason: '价格', lostAt: ago(1), version: 2n }), lost);

      const { summary } = await profileOf(id);
      expect(summary.openOpportunities).toEqual({ count: 1, amount: [{ amountMicros: String(1200n * CNY), currency: 'CNY' }] });
    });

    it('counts tickets until they are resolved or closed, and averages CSAT answers', async () => {
      const { id } = await createCustomer();
      const [t1, t2] = [randomUUID(), randomUUID()];
      for (const [ticketId, status] of [
        [t1, 'new'],
        [t2, 'open'],
      ]) {
        await customers.publishEvent(
          TicketOpenedEvent,
          create(TicketOpenedSchema, { tenantId: tenant, ticketId, ticketNumber: `T-${ticketId.slice(0, 4)}`, customerId: id, channel: 'phone', type: 'returns', priority: 'high', subject: '退货', status, openedAt: ago(2), version: 1n }),
          ticketId,
        );
      }
      expect((await profileOf(id)).summary.openTickets).toBe(2);
      await customers.publishEvent(TicketResolvedEvent, create(TicketResolvedSchema, { tenantId: tenant, ticketId: t1, customerId: id, subject: '退货', resolution: '已退款', resolvedAt: ago(1), version: 3n }), t1);
      await customers.publishEvent(
        TicketStatusChangedEvent,
        create(TicketStatusChangedSchema, { tenantId: tenant, ticketId: t2, customerId: id, previousStatus: 'open', status: 'pending_customer', priority: 'high', changedAt: ago(1), version: 2n }),
        t2,
      );
      expect((await profileOf(id)).summary.openTickets).toBe(1);
      await customers.publishEvent(
        TicketStatusChangedEvent,
        create(TicketStatusChangedSchema, { tenantId: tenant, ticketId: t2, customerId: id, previousStatus: 'pending_customer', status: 'closed', priority: 'high', changedAt: ago(0), version: 3n }),
        t2,
      );
      for (const score of [5, 2]) {
        const surveyId = randomUUID();
        await customers.publishEvent(SurveyAnsweredEvent, create(SurveyAnsweredSchema, { tenantId: tenant, surveyId, ticketId: t1, customerId: id, score, comment: '服务很好', answeredAt: ago(0) }), surveyId);
      }

      const { summary } = await profileOf(id);
      expect(summary.openTickets).toBe(0);
      expect(summary.csat).toEqual({ average: 3.5, count: 2 });
    });

    it('takes the last contact from calls, visits and messages, not from notes', async () => {
      const { id } = await createCustomer();
      const log = (kind: string, occurredAt: string) => {
        const activityId = randomUUID();
        return customers.publishEvent(
          ActivityLoggedEvent,
          create(ActivityLoggedSchema, { tenantId: tenant, activityId, kind, customerId: id, subject: '回访', notes: '客户说下月再订', ownerId: rep.userId, occurredAt, loggedAt: occurredAt }),
          activityId,
        );
      };
      const visited = ago(2);
      await log('call', ago(3));
      await log('visit', visited);
      await log('note', ago(1));
      // Logged late, happened earlier: the latest contact stays the visit.
      await log('wechat', ago(10));
      expect((await profileOf(id)).summary.lastContactAt).toBe(visited);
      const entries = (await timelineOf(id, '?type=activity')).items;
      expect(entries).toHaveLength(4);
      expect(entries[0]).toMatchObject({ type: 'activity.logged', source: 'sales', title: 'Note: 回访', summary: '客户说下月再订' });
    });

    it('keeps the newest scores, sets the value tier and the VIP and churn-risk tags through CustomerUpdated and CustomerTagged', async () => {
      const { id } = await createCustomer({ tags: ['重点客户'] });
      const scores = (computedAt: string, values: { tier: string; vip: boolean; band: string }) =>
        customers.publishEvent(
          CustomerScoresChangedEvent,
          create(CustomerScoresChangedSchema, {
            tenantId: tenant,
            customerId: id,
            rfm: { recency: 5, frequency: 4, monetary: 5, segment: 'champions' },
            clvHistoricMicros: 8000n * CNY,
            clvPredictedMicros: 3000n * CNY,
            currency: 'CNY',
            churnProbability: values.band === 'high' ? 0.81 : 0.1,
            churnBand: values.band,
            churnReasons: ['recency'],
            valueTier: values.tier,
            vip: values.vip,
            changed: ['value_tier'],
            computedAt,
          }),
          id,
        );
      await scores(ago(0), { tier: 'A', vip: true, band: 'high' });
      // Older scores arriving late change nothing.
      await scores(ago(1), { tier: 'C', vip: false, band: 'low' });

      const { summary, customer } = await profileOf(id);
      expect(summary.scores).toMatchObject({ valueTier: 'A', vip: true, churnBand: 'high', churnRisk: 0.81, rfm: { recency: 5, frequency: 4, monetary: 5, segment: 'champions' } });
      expect(summary.scores!.clvHistoric).toEqual({ amountMicros: String(8000n * CNY), currency: 'CNY' });
      expect(customer).toMatchObject({ valueTier: 'A', tags: ['重点客户', 'VIP', 'churn-risk'], version: 2 });
      const events = (await customers.outboxOf(id)).filter((event) => event.type !== 'crm.customers.customer.created.v1');
      expect(events).toEqual([
        { type: 'crm.customers.customer.updated.v1', data: expect.objectContaining({ changedFields: ['valueTier'], version: '2', customer: expect.objectContaining({ valueTier: 'A' }) }) },
        { type: 'crm.customers.customer.tagged.v1', data: expect.objectContaining({ added: ['VIP', 'churn-risk'], version: '2' }) },
      ]);
      // The tag filter (search index) knows the new tags.
      const vips = (await customers.as(rep).get('/customers?tag=vip').expect(200)).body.items.map((item: { id: string }) => item.id);
      expect(vips).toContain(id);

      await scores(new Date(Date.now() + 1000).toISOString(), { tier: 'B', vip: false, band: 'low' });
      expect(await customerOf(id)).toMatchObject({ valueTier: 'B', tags: ['重点客户'], version: 3 });
    });

    it('answers from its own tables alone: a customer no service has mentioned has an empty summary', async () => {
      const { id } = await createCustomer({ nationalId: '110101199003071233' });
      const { customer, summary } = await profileOf(id);
      expect(customer).toMatchObject({ id, name: '王小明', nationalId: '1101**********1233', piiRevealed: false });
      expect(summary).toEqual({
        lifetimeRevenue: [],
        ordersCount: 0,
        lastOrderAt: null,
        openOpportunities: { count: 0, amount: [] },
        openTickets: 0,
        lastContactAt: null,
        csat: { average: null, count: 0 },
        scores: null,
        updatedAt: null,
      });
    });

    it('reads record and summary in one statement, each row by its key', async () => {
      const { id } = await createCustomer();
      await placeOrder(id, { total: 1n * CNY });
      // Tiny tables make sequential scans cheapest; forbid them to see which indexes the statement can use.
      const plan = await customers.running.app.get(TenantTransactions).runForTenant(tenant, async (manager: EntityManager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        return manager.query(
          `EXPLAIN SELECT c.*, p.* FROM customers c LEFT JOIN customer_profiles p ON p.customer_id = c.id AND p.tenant_id = c.tenant_id
            WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND c.id = $2 AND c.owner_id = $3`,
          [tenant, id, rep.userId],
        );
      });
      const text = (plan as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/^Nested Loop Left Join/);
      expect(text).toMatch(/Index Scan using \S+ on customers c .*\n\s+Index Cond: \(.*\bid = /);
      expect(text).toMatch(/Index Scan using customer_profiles_pkey on customer_profiles p/);
    });
  });

  describe('timeline', () => {
    let id: string;
    let orderId: string;

    beforeAll(async () => {
      ({ id } = await createCustomer());
      orderId = await placeOrder(id, { total: 1280n * CNY, placedAt: ago(5) });
      const ticketId = randomUUID();
      await customers.publishEvent(
        TicketOpenedEvent,
        create(TicketOpenedSchema, { tenantId: tenant, ticketId, ticketNumber: 'T-1', customerId: id, channel: 'email', type: 'billing', priority: 'normal', subject: '发票', status: 'new', openedAt: ago(4), version: 1n }),
        ticketId,
      );
      const touchpointId = randomUUID();
      await customers.publishEvent(
        TouchpointRecordedEvent,
        create(TouchpointRecordedSchema, { tenantId: tenant, touchpointId, customerId: id, campaignName: '双十一', channel: 'email', kind: 'clicked', url: 'https://shop.example/x', occurredAt: ago(3) }),
        touchpointId,
      );
      const couponId = randomUUID();
      await customers.publishEvent(
        CouponIssuedEvent,
        create(CouponIssuedSchema, { tenantId: tenant, couponId, code: 'VIP-8888', customerId: id, discountKind: 'amount', discountAmountMicros: 50n * CNY, currency: 'CNY', issuedAt: ago(2) }),
        couponId,
      );
      const contractId = randomUUID();
      await customers.publishEvent(
        ContractSignedEvent,
        create(ContractSignedSchema, { tenantId: tenant, contractId, customerId: id, contractNumber: 'HT-1', title: '年度服务', amountMicros: 10_000n * CNY, currency: 'CNY', startDate: '2025-01-01', endDate: '2025-12-31', signedAt: ago(1) }),
        contractId,
      );
    });

    it('lists everything that happened, newest first, with the customer’s own changes', async () => {
      const { items } = await timelineOf(id);
      expect(items.map((entry) => entry.type)).toEqual(['customer.updated', 'customer.created', 'contract.signed', 'coupon.issued', 'touchpoint.recorded', 'ticket.opened', 'order.placed']);
      expect(items.find((entry) => entry.type === 'order.placed')).toMatchObject({
        source: 'sales',
        title: expect.stringContaining('placed: 1280.00 CNY'),
        referenceId: orderId,
        data: expect.objectContaining({ total: { amountMicros: String(1280n * CNY), currency: 'CNY' } }),
      });
      // The first order made the prospect new: the customer's own CustomerUpdated, on its timeline too.
      expect(items[0]).toMatchObject({ title: 'Lifecycle stage: new', source: 'customers', data: { changedFields: ['lifecycleStage'], lifecycleStage: 'new' } });
    });

    it('pages with a cursor', async () => {
      const first = await timelineOf(id, '?limit=3&total=true');
      expect(first.items).toHaveLength(3);
      expect(first.total).toBe(7);
      const second = await timelineOf(id, `?limit=3&cursor=${first.nextCursor}`);
      const third = await timelineOf(id, `?limit=3&cursor=${second.nextCursor}`);
      expect(third.nextCursor).toBeNull();
      const ids = [...first.items, ...second.items, ...third.items].map((entry) => entry.id);
      expect(new Set(ids).size).toBe(7);
      expect(ids).toEqual((await timelineOf(id)).items.map((entry) => entry.id));
    });

    it('filters by types and families, repeated or comma-separated, and by time', async () => {
      expect((await timelineOf(id, '?type=order')).items.map((entry) => entry.type)).toEqual(['order.placed']);
      expect((await timelineOf(id, '?type=ticket.opened&type=coupon')).items.map((entry) => entry.type)).toEqual(['coupon.issued', 'ticket.opened']);
      expect((await timelineOf(id, '?type=customer,touchpoint')).items.map((entry) => entry.type)).toEqual(['customer.updated', 'customer.created', 'touchpoint.recorded']);
      const window = await timelineOf(id, `?from=${encodeURIComponent(ago(4.5))}&to=${encodeURIComponent(ago(1.5))}`);
      expect(window.items.map((entry) => entry.type)).toEqual(['coupon.issued', 'touchpoint.recorded', 'ticket.opened']);
      const refused = await customers.as(rep).get(`/customers/${id}/timeline?type=order,gossip`).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);
    });
  });

  describe('lifecycle', () => {
    const sweep = () => customers.running.app.get(LifecycleSweeper).sweep();

    it('moves a prospect to new with its first order and to active with the next, each as CustomerUpdated', async () => {
      const { id } = await createCustomer();
      expect((await customerOf(id)).lifecycleStage).toBe('prospect');
      await placeOrder(id, { total: 10n * CNY });
      expect((await customerOf(id)).lifecycleStage).toBe('new');
      await placeOrder(id, { total: 10n * CNY });
      expect(await customerOf(id)).toMatchObject({ lifecycleStage: 'active', version: 3 });
      const updates = (await customers.outboxOf(id)).filter((event) => event.type === 'crm.customers.customer.updated.v1');
      expect(updates.map((event) => [event.data.changedFields, (event.data.customer as { lifecycleStage: string }).lifecycleStage, event.data.version])).toEqual([
        [['lifecycleStage'], 'new', '2'],
        [['lifecycleStage'], 'active', '3'],
      ]);
    });

    it('makes a new customer a prospect again when its only order is cancelled', async () => {
      const { id } = await createCustomer();
      const orderId = await placeOrder(id, { total: 10n * CNY });
      await cancelOrder(id, { orderId, total: 10n * CNY, version: 2n });
      expect((await customerOf(id)).lifecycleStage).toBe('prospect');
    });

    it('sweeps customers without orders to dormant, then churned, and a new order revives them', async () => {
      const dormant = (await createCustomer()).id;
      const churned = (await createCustomer()).id;
      const recent = (await createCustomer()).id;
      await placeOrder(dormant, { total: 10n * CNY, placedAt: ago(200) });
      await placeOrder(churned, { total: 10n * CNY, placedAt: ago(400) });
      await placeOrder(recent, { total: 10n * CNY, placedAt: ago(10) });
      for (const id of [dormant, churned, recent]) expect((await customerOf(id)).lifecycleStage).toBe('new');

      const result = await sweep();
      expect(result.dormant).toBeGreaterThanOrEqual(1);
      expect(result.churned).toBeGreaterThanOrEqual(1);
      expect((await customerOf(dormant)).lifecycleStage).toBe('dormant');
      expect((await customerOf(churned)).lifecycleStage).toBe('churned');
      expect((await customerOf(recent)).lifecycleStage).toBe('new');
      const swept = (await customers.outboxOf(churned)).filter((event) => event.type === 'crm.customers.customer.updated.v1').pop();
      expect(swept?.data).toMatchObject({ changedFields: ['lifecycleStage'], customer: expect.objectContaining({ lifecycleStage: 'churned' }) });

      // A second sweep finds nothing more to do for them.
      const before = await customerOf(dormant);
      await sweep();
      expect((await customerOf(dormant)).version).toBe(before.version);

      // An old order (a backfill) revives nobody; a recent one does.
      await placeOrder(churned, { total: 10n * CNY, placedAt: ago(300) });
      expect((await customerOf(churned)).lifecycleStage).toBe('churned');
      await placeOrder(churned, { total: 10n * CNY });
      await placeOrder(dormant, { total: 10n * CNY });
      expect((await customerOf(churned)).lifecycleStage).toBe('active');
      expect((await customerOf(dormant)).lifecycleStage).toBe('active');
    });

    it('keeps a stage set by hand until the next order or until the thresholds pass from then', async () => {
      const { id } = await createCustomer();
      await placeOrder(id, { total: 10n * CNY, placedAt: ago(250) });
      const { version } = await customerOf(id);
      await customers.as(rep).patch(`/customers/${id}`).set('if-match', `"${version}"`).send({ lifecycleStage: 'active' }).expect(200);
      await sweep();
      expect((await customerOf(id)).lifecycleStage).toBe('active');
      // The next order decides again.
      await placeOrder(id, { total: 10n * CNY });
      expect((await customerOf(id)).lifecycleStage).toBe('active');
      const [pin] = await customers.queryAsTenant<{ stage_pinned_at: Date | null }>(tenant, `SELECT stage_pinned_at FROM customer_profiles WHERE customer_id = $1`, [id]);
      expect(pin.stage_pinned_at).toBeInstanceOf(Date);
    });
  });

  describe('delivery', () => {
    it('applies a redelivered event once, and a repeated order version once', async () => {
      const { id } = await createCustomer();
      const eventId = randomUUID();
      const orderId = await placeOrder(id, { total: 7n * CNY, eventId });
      await placeOrder(id, { orderId, total: 7n * CNY, eventId });
      await placeOrder(id, { orderId, total: 7n * CNY });
      const { summary } = await profileOf(id);
      expect(summary.ordersCount).toBe(1);
      expect(summary.lifetimeRevenue).toEqual([{ amountMicros: String(7n * CNY), currency: 'CNY' }]);
      // The same order state told again under a new event id is no news for the timeline either.
      expect((await timelineOf(id, '?type=order')).items.map((entry) => entry.id)).toEqual([eventId]);
      expect((await customerOf(id)).version).toBe(2);
    });

    it('dead-letters malformed events and records nothing of them', async () => {
      const { id } = await createCustomer();
      const badCurrency = await placeOrder(id, { total: 1n * CNY, currency: 'yuan' });
      expect(await deadLetters(badCurrency)).toEqual([expect.objectContaining({ error: expect.stringContaining('ISO 4217') })]);

      const orderId = randomUUID();
      await customers.transport.publish([
        {
          id: randomUUID(),
          type: OrderPlacedEvent.type,
          source: 'crm/sales',
          time: new Date().toISOString(),
          subject: orderId,
          tenantId: tenant,
          topic: OrderPlacedEvent.topic,
          data: JSON.stringify({ tenantId: otherTenant, orderId, customerId: id, currency: 'CNY', totalAmountMicros: '1', placedAt: new Date().toISOString(), version: '1' }),
        },
      ]);
      expect(await deadLetters(orderId)).toEqual([expect.objectContaining({ error: expect.stringContaining('arrived as tenant') })]);
      const survey = randomUUID();
      await customers.publishEvent(SurveyAnsweredEvent, create(SurveyAnsweredSchema, { tenantId: tenant, surveyId: survey, ticketId: randomUUID(), customerId: id, score: 9, answeredAt: ago(0) }), survey);
      expect(await deadLetters(survey)).toEqual([expect.objectContaining({ error: expect.stringContaining('score') })]);

      expect((await profileOf(id)).summary.ordersCount).toBe(0);
      expect((await timelineOf(id)).items.map((entry) => entry.type)).toEqual(['customer.created']);
    });

    it('keeps events about a customer it does not know yet', async () => {
      const unknown = randomUUID();
      await placeOrder(unknown, { total: 3n * CNY });
      const [row] = await customers.queryAsTenant<{ orders_count: number }>(tenant, `SELECT orders_count FROM customer_profiles WHERE customer_id = $1`, [unknown]);
      expect(row.orders_count).toBe(1);
    });
  });

  describe('merges', () => {
    it('counts a merged customer’s history and later events for the survivor, and an undo gives them back', async () => {
      const survivor = (await createCustomer({ phones: ['13911110000'] })).id;
      const merged = (await createCustomer({ name: '王晓明', phones: ['13911110001'] })).id;
      // Two orders make the survivor active, so the order after the merge changes no stage (a change
      // of the survivor after its merge would keep the merge from being undone).
      await placeOrder(survivor, { total: 100n * CNY });
      await placeOrder(survivor, { total: 20n * CNY });
      await placeOrder(merged, { total: 30n * CNY });
      const merge = await customers.as(admin).post('/customers/merge').send({ survivorId: survivor, mergedIds: [merged] });
      if (merge.status !== 200 && merge.status !== 201) throw new Error(`merge answered ${merge.status}: ${JSON.stringify(merge.body)}`);
      expect((await profileOf(survivor, admin)).summary.ordersCount).toBe(3);

      // Events naming the merged customer count for the survivor.
      await placeOrder(merged, { total: 5n * CNY });
      const after = (await profileOf(survivor, admin)).summary;
      expect(after.ordersCount).toBe(4);
      expect(after.lifetimeRevenue).toEqual([{ amountMicros: String(155n * CNY), currency: 'CNY' }]);
      expect((await timelineOf(survivor, '?type=order', admin)).items).toHaveLength(4);
      expect((await timelineOf(survivor, '?type=customer.merged', admin)).items).toHaveLength(1);
      await customers.as(admin).get(`/customers/${merged}/profile`).expect(404);

      const undo = await customers.as(admin).post(`/customers/merges/${merge.body.mergeId}/undo`);
      if (undo.status !== 200) throw new Error(`undo answered ${undo.status}: ${JSON.stringify(undo.body)}`);
      expect((await profileOf(survivor, admin)).summary.ordersCount).toBe(2);
      expect((await profileOf(merged, admin)).summary).toMatchObject({ ordersCount: 2, lifetimeRevenue: [{ amountMicros: String(35n * CNY), currency: 'CNY' }] });
      expect((await timelineOf(merged, '?type=order', admin)).items).toHaveLength(2);
    });
  });

  describe('personal data', () => {
    it('exports the summary and every timeline entry, and an erasure strips their text', async () => {
      const { id } = await createCustomer();
      const activityId = randomUUID();
      await customers.publishEvent(
        ActivityLoggedEvent,
        create(ActivityLoggedSchema, { tenantId: tenant, activityId, kind: 'call', customerId: id, subject: '回访王小明', notes: '他的私人号码 13900001111', occurredAt: ago(1) }),
        activityId,
      );
      const holder = customers.running.app.get(ProfileDataHolder);
      const inTenant = <T>(fn: (manager: EntityManager) => Promise<T>) => customers.running.app.get(TenantTransactions).runForTenant(tenant, fn);

      const sections = await inTenant((manager) => holder.export(manager, tenant, id));
      expect(sections.map((section) => section.name)).toEqual(['profile', 'timeline']);
      expect(sections[0].data).toMatchObject({ lastContactAt: expect.any(String) });
      expect(sections[1].data).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'activity.logged', title: 'Call: 回访王小明', summary: '他的私人号码 13900001111' })]));

      expect(await inTenant((manager) => holder.erase(manager, tenant, id))).toBe(2);
      const rows = await customers.queryAsTenant<{ title: string; summary: string | null; payload: object }>(tenant, `SELECT title, summary, payload FROM customer_timeline WHERE customer_id = $1 ORDER BY occurred_at`, [id]);
      expect(rows).toEqual([
        { title: 'Activity logged', summary: null, payload: {} },
        { title: 'Customer created', summary: null, payload: {} },
      ]);
      expect(await inTenant((manager) => holder.erase(manager, tenant, id))).toBe(0);
      // The figures stay: they identify nobody once the record is erased.
      expect((await profileOf(id)).summary.lastContactAt).not.toBeNull();
    });
  });

  describe('scope', () => {
    it('shows profile and timeline to whoever may see the customer, and 404 to anyone else', async () => {
      const { id } = await createCustomer();
      await customers.as(admin).get(`/customers/${id}/profile`).expect(200);
      for (const path of [`/customers/${id}/profile`, `/customers/${id}/timeline`]) {
        const refused = await customers.as(otherRep).get(path).expect(404);
        expect(refused.body).toMatchObject({ status: 404, code: 'customer_not_found' });
        await customers.as(caller(otherTenant, ['admin'])).get(path).expect(404);
      }
      await customers.as(rep).get('/customers/not-a-uuid/profile').expect(404);
      await customers.as(rep).get(`/customers/${randomUUID()}/timeline`).expect(404);
    });
  });
});
