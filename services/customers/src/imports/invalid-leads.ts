import { LIMITS } from '../customers/customer-fields';
import { standardiseCustomer } from '../standardisation';

/** The tag every lead an import marks invalid gets, and one more per reason (`无效线索:无法联系`). */
export const INVALID_LEAD_TAG = '无效线索';
export const INVALID_LEAD_REASONS = { unreachable: '无法联系', unresponsive: '长期未响应' } as const;
export type InvalidLeadReason = keyof typeof INVALID_LEAD_REASONS;

/** Default of `unresponsiveDays`: a lead last contacted more than a year ago. */
export const DEFAULT_UNRESPONSIVE_DAYS = 365;

export interface LeadContacts {
  phones: readonly string[];
  emails: readonly string[];
  wechatIds: readonly string[];
}

/**
 * Why a lead is not worth a rep's time: no usable phone, e-mail or WeChat id left after cleansing
 * (unreachable), or last contacted before `cutoff` (long unresponsive). Empty for a good lead.
 */
export function invalidLeadReasons(contacts: LeadContacts, lastContact: Date | null | undefined, cutoff: Date): InvalidLeadReason[] {
  const reasons: InvalidLeadReason[] = [];
  if (contacts.phones.length === 0 && contacts.emails.length === 0 && contacts.wechatIds.length === 0) reasons.push('unreachable');
  if (lastContact && lastContact < cutoff) reasons.push('unresponsive');
  return reasons;
}

/** The tags marking these reasons. */
export function invalidLeadTags(reasons: readonly InvalidLeadReason[]): string[] {
  return reasons.length === 0 ? [] : [INVALID_LEAD_TAG, ...reasons.map((reason) => `${INVALID_LEAD_TAG}:${INVALID_LEAD_REASONS[reason]}`)];
}

/** `tags` with the marks added, standardised like every tag list (no case-insensitive repeats) and within the limit. */
export function withInvalidLeadTags(tags: readonly string[], reasons: readonly InvalidLeadReason[]): string[] {
  const marks = invalidLeadTags(reasons);
  const merged = standardiseCustomer({ tags: [...marks, ...tags] }).value.tags ?? [];
  // Marks first so they survive the cap, then back in the order the tags were given.
  const kept = new Set(merged.slice(0, LIMITS.tags));
  return [...tags.filter((tag) => kept.has(tag)), ...marks.filter((mark) => kept.has(mark) && !tags.includes(mark))];
}

/** The first day that is not long ago: `days` before `now`. */
export function unresponsiveCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
