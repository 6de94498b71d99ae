/**
 * Every type of timeline entry, `<family>.<what happened>`, and the service it comes from. A list
 * filter names types or whole families (`order` is `order.placed` and `order.cancelled`).
 */
export const TIMELINE_TYPES = {
  'customer.created': 'customers',
  'customer.updated': 'customers',
  'customer.owner_changed': 'customers',
  'customer.tagged': 'customers',
  'customer.deleted': 'customers',
  'customer.merged': 'customers',
  'customer.merge_undone': 'customers',
  'customer.erased': 'customers',
  'order.placed': 'sales',
  'order.cancelled': 'sales',
  'opportunity.opened': 'sales',
  'opportunity.stage_changed': 'sales',
  'opportunity.won': 'sales',
  'opportunity.lost': 'sales',
  'contract.signed': 'sales',
  'contract.expiring': 'sales',
  'activity.logged': 'sales',
  'ticket.opened': 'ticketing',
  'ticket.status_changed': 'ticketing',
  'ticket.resolved': 'ticketing',
  'survey.answered': 'ticketing',
  'touchpoint.recorded': 'marketing',
  'coupon.issued': 'marketing',
  'coupon.redeemed': 'marketing',
  'scores.changed': 'analytics',
} as const;

export type TimelineType = keyof typeof TIMELINE_TYPES;
export type TimelineSource = (typeof TIMELINE_TYPES)[TimelineType];

export const TIMELINE_TYPE_NAMES = Object.keys(TIMELINE_TYPES) as TimelineType[];
export const TIMELINE_FAMILIES = [...new Set(TIMELINE_TYPE_NAMES.map((type) => type.split('.')[0]))];

/** What a filter value stands for: itself, or every type of the family it names; undefined when neither. */
export function expandTimelineType(value: string): TimelineType[] | undefined {
  if (value in TIMELINE_TYPES) return [value as TimelineType];
  const family = TIMELINE_TYPE_NAMES.filter((type) => type.startsWith(`${value}.`));
  return family.length > 0 ? family : undefined;
}

/** The title an entry keeps once its personal text is erased: what happened, without who or what about. */
export function neutralTitle(type: string): string {
  const [family, event = ''] = type.split('.');
  const what = event.replace(/_/g, ' ');
  return `${family.charAt(0).toUpperCase()}${family.slice(1)} ${what}`.trim();
}
