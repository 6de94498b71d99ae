import type { LifecycleStage } from '../customers/customer-fields';

/** How long without an order makes a customer dormant, then churned (days). */
export interface LifecycleThresholds {
  dormantAfterDays: number;
  churnedAfterDays: number;
}

/** The order figures of a customer's profile after an order event. */
export interface OrderFigures {
  /** Orders not cancelled. */
  ordersCount: number;
  /** When the latest of them was placed. */
  lastOrderAt: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * The stage a customer's orders call for after an order was placed or cancelled (潜在 prospect → 新客户
 * new → 活跃 active → 沉睡 dormant → 流失 churned):
 *
 * - the first order makes a prospect new (several at once, e.g. a backfill, make it active);
 * - a further recent order makes a new customer active, and revives a dormant or churned one;
 * - an order older than the dormant threshold (a backfill) revives nobody: the sweep judges by it;
 * - cancelling the only order of a new customer makes it a prospect again.
 *
 * Anything else keeps the current stage, including one set by hand: a manual stage holds until the
 * next order or the sweep's threshold counted from it (see LifecycleSweeper).
 */
export function stageAfterOrders(current: LifecycleStage, orders: OrderFigures, now: Date, thresholds: LifecycleThresholds): LifecycleStage {
  if (orders.ordersCount === 0) return current === 'new' ? 'prospect' : current;
  if (current === 'prospect') return orders.ordersCount === 1 ? 'new' : 'active';
  const recent = orders.lastOrderAt !== null && now.getTime() - orders.lastOrderAt.getTime() < thresholds.dormantAfterDays * DAY_MS;
  if (!recent) return current;
  if (current === 'new') return orders.ordersCount > 1 ? 'active' : 'new';
  if (current === 'dormant' || current === 'churned') return 'active';
  return current;
}

/** The instants before which the sweep's clock makes a customer dormant or churned. */
export function sweepCutoffs(now: Date, thresholds: LifecycleThresholds): { dormantBefore: Date; churnedBefore: Date } {
  return {
    dormantBefore: new Date(now.getTime() - thresholds.dormantAfterDays * DAY_MS),
    churnedBefore: new Date(now.getTime() - thresholds.churnedAfterDays * DAY_MS),
  };
}

/** Tags analytics' scores keep on a customer, so lists, segments and other services can filter by them. */
export const VIP_TAG = 'VIP';
export const CHURN_RISK_TAG = 'churn-risk';

/** The VIP tag follows the VIP flag, the churn-risk tag a high churn band. */
export function tagChangesForScores(scores: { vip: boolean; churnBand: string }): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  (scores.vip ? add : remove).push(VIP_TAG);
  (scores.churnBand === 'high' ? add : remove).push(CHURN_RISK_TAG);
  return { add, remove };
}
