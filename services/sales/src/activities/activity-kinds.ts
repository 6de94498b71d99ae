export const ACTIVITY_KINDS = ['call', 'meeting', 'visit', 'email', 'wechat', 'sms', 'note', 'task'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];
/** Kinds a direction makes sense for (someone reached out to someone). */
export const DIRECTED_KINDS: readonly ActivityKind[] = ['call', 'email', 'wechat', 'sms', 'visit'];
export const LIMITS = { subject: 200, notes: 10_000, outcome: 64, durationSeconds: 86_400 } as const;
