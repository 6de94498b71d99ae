import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { CustomerMergedEvent, CustomerMergedSchema, CustomerMergeUndoneEvent, CustomerMergeUndoneSchema, CustomerSchema, RestoredCustomerSchema } from '@crm/contracts';
import { TicketingHarness } from './ticketing-harness';

describe('ticketing: read models of users, teams and customers', () => {
  let ticketing: TicketingHarness;
  const tenantId = randomUUID();

  beforeAll(async () => {
    ticketing = await TicketingHarness.start('ticketing_read_models');
  });

  afterAll(async () => {
    await ticketing?.stop();
  });

  it('keeps teams with their managers, ignoring older versions', async () => {
    const managerId = randomUUID();
    const teamId = await ticketing.publishTeam({ tenantId, name: '售后一组', managerId, memberIds: [managerId], version: 2 });
    await ticketing.publishTeam({ tenantId, teamId, name: '旧名字', version: 1 });
    const [team] = await ticketing.queryAsTenant<{ name: string; manager_id: string }>(tenantId, `SELECT name, manager_id FROM teams WHERE id = $1`, [teamId]);
    expect(team).toEqual({ name: '售后一组', manager_id: managerId });
  });

  it('derives the service tier from key accounts, value tiers and analytics VIP flags, newest scores winning', async () => {
    const customerId = await ticketing.publishCustomer({ tenantId, name: '李女士', phones: ['+8613800138000'], valueTier: 'B' });
    const tierOf = async (): Promise<string> => (await ticketing.queryAsTenant<{ customer_tier: string }>(tenantId, `SELECT CASE WHEN vip OR key_account THEN 'vip' ELSE value_tier END AS customer_tier FROM customer_directory WHERE id = $1`, [customerId]))[0].customer_tier;
    expect(await tierOf()).toBe('B');
    await ticketing.publishScores(tenantId, customerId, { vip: true, computedAt: new Date('2026-11-01T00:00:00Z') });
    expect(await tierOf()).toBe('vip');
    await ticketing.publishScores(tenantId, customerId, { vip: false, computedAt: new Date('2026-10-01T00:00:00Z') });
    expect(await tierOf()).toBe('vip');
    await ticketing.publishScores(tenantId, customerId, { vip: false, valueTier: 'A', computedAt: new Date('2026-11-02T00:00:00Z') });
    expect(await tierOf()).toBe('A');
  });

  it('follows the tier on the customer’s active tickets', async () => {
    const customerId = await ticketing.publishCustomer({ tenantId, name: '张先生', valueTier: 'C' });
    const ticketId = randomUUID();
    await ticketing.queryAsTenant(tenantId, `INSERT INTO tickets (id, tenant_id, number, channel, type, priority, status, subject, customer_id, customer_tier) VALUES ($1, $2, $3, 'phone', 'billing', 'normal', 'open', '发票问题', $4, 'C')`, [ticketId, tenantId, `T-TEST-${ticketId.slice(0, 6)}`, customerId]);
    await ticketing.publishScores(tenantId, customerId, { vip: true });
    const [ticket] = await ticketing.queryAsTenant<{ customer_tier: string }>(tenantId, `SELECT customer_tier FROM tickets WHERE id = $1`, [ticketId]);
    expect(ticket.customer_tier).toBe('vip');
  });

  it('re-points tickets of merged customers to the survivor and back when the merge is undone', async () => {
    const survivorId = await ticketing.publishCustomer({ tenantId, name: '王先生' });
    const mergedId = await ticketing.publishCustomer({ tenantId, name: '王先生 (重复)' });
    const ticketId = randomUUID();
    await ticketing.queryAsTenant(tenantId, `INSERT INTO tickets (id, tenant_id, number, channel, type, priority, status, subject, customer_id) VALUES ($1, $2, $3, 'email', 'returns', 'normal', 'new', '退货', $4)`, [ticketId, tenantId, `T-TEST-${ticketId.slice(0, 6)}`, mergedId]);
    const mergeId = randomUUID();
    const survivor = create(CustomerSchema, { type: 'person', name: '王先生' });
    const merged = create(CustomerMergedSchema, { tenantId, customerId: survivorId, mergeId, mergedCustomerIds: [mergedId], customer: survivor, version: 2n });
    await ticketing.publishEvent(CustomerMergedEvent, merged, survivorId);
    await ticketing.publishEvent(CustomerMergedEvent, merged, survivorId);
    const customerOf = async (): Promise<string> => (await ticketing.queryAsTenant<{ customer_id: string }>(tenantId, `SELECT customer_id FROM tickets WHERE id = $1`, [ticketId]))[0].customer_id;
    expect(await customerOf()).toBe(survivorId);

    const restored = create(RestoredCustomerSchema, { customerId: mergedId, customer: create(CustomerSchema, { type: 'person', name: '王先生 (重复)' }), version: 3n });
    await ticketing.publishEvent(CustomerMergeUndoneEvent, create(CustomerMergeUndoneSchema, { tenantId, customerId: survivorId, mergeId, customer: survivor, version: 3n, restored: [restored] }), survivorId);
    expect(await customerOf()).toBe(mergedId);
  });
});
