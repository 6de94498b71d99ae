import { stageAfterOrders, sweepCutoffs, tagChangesForScores } from './lifecycle-rules';

const now = new Date('2025-06-01T00:00:00Z');
const thresholds = { dormantAfterDays: 180, churnedAfterDays: 365 };
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe('stageAfterOrders', () => {
  it('makes a prospect new with its first order, active with several at once', () => {
    expect(stageAfterOrders('prospect', { ordersCount: 1, lastOrderAt: daysAgo(1) }, now, thresholds)).toBe('new');
    expect(stageAfterOrders('prospect', { ordersCount: 3, lastOrderAt: daysAgo(1) }, now, thresholds)).toBe('active');
  });

  it('gives a prospect its stage even from an old order; the sweep ages it afterwards', () => {
    expect(stageAfterOrders('prospect', { ordersCount: 1, lastOrderAt: daysAgo(400) }, now, thresholds)).toBe('new');
  });

  it('makes a new customer active with a second recent order', () => {
    expect(stageAfterOrders('new', { ordersCount: 1, lastOrderAt: daysAgo(1) }, now, thresholds)).toBe('new');
    expect(stageAfterOrders('new', { ordersCount: 2, lastOrderAt: daysAgo(1) }, now, thresholds)).toBe('active');
  });

  it('revives dormant and churned customers with a recent order, not with a backfilled old one', () => {
    expect(stageAfterOrders('dormant', { ordersCount: 5, lastOrderAt: daysAgo(0) }, now, thresholds)).toBe('active');
    expect(stageAfterOrders('churned', { ordersCount: 5, lastOrderAt: daysAgo(10) }, now, thresholds)).toBe('active');
    expect(stageAfterOrders('dormant', { ordersCount: 5, lastOrderAt: daysAgo(200) }, now, thresholds)).toBe('dormant');
  });

  it('keeps active customers active', () => {
    expect(stageAfterOrders('active', { ordersCount: 9, lastOrderAt: daysAgo(3) }, now, thresholds)).toBe('active');
  });

  it('makes a new customer a prospect again when its only order is cancelled, and leaves others', () => {
    expect(stageAfterOrders('new', { ordersCount: 0, lastOrderAt: null }, now, thresholds)).toBe('prospect');
    expect(stageAfterOrders('active', { ordersCount: 0, lastOrderAt: null }, now, thresholds)).toBe('active');
    expect(stageAfterOrders('dormant', { ordersCount: 0, lastOrderAt: null }, now, thresholds)).toBe('dormant');
  });
});

describe('sweepCutoffs', () => {
  it('counts the thresholds back from now', () => {
    expect(sweepCutoffs(now, thresholds)).toEqual({ dormantBefore: daysAgo(180), churnedBefore: daysAgo(365) });
  });
});

describe('tagChangesForScores', () => {
  it('adds VIP and churn-risk when the scores say so, and removes them when they no longer do', () => {
    expect(tagChangesForScores({ vip: true, churnBand: 'high' })).toEqual({ add: ['VIP', 'churn-risk'], remove: [] });
    expect(tagChangesForScores({ vip: false, churnBand: 'medium' })).toEqual({ add: [], remove: ['VIP', 'churn-risk'] });
  });
});
