import type { TimelineType } from '../timeline/timeline-types';

/** What the summary counts: one row per order, opportunity, ticket, CSAT answer and contact. */
export type FactKind = 'order' | 'opportunity' | 'ticket' | 'survey' | 'contact';

/**
 * The latest state of one order, opportunity, ... as an event tells it. A fact replaces the stored one
 * only with a higher version, so events applied in any order leave the newest state.
 */
export interface ProfileFact {
  kind: FactKind;
  refId: string;
  /** order: placed | cancelled; opportunity: open | won | lost; ticket: its status; survey, contact: recorded. */
  status: string;
  amountMicros: bigint | null;
  currency: string | null;
  /** CSAT 1–5. */
  score: number | null;
  /** When the order was placed, the ticket opened, the survey answered, the contact happened, ... */
  occurredAt: Date;
  version: bigint;
}

export interface ProfileTimelineEntry {
  type: TimelineType;
  occurredAt: Date;
  title: string;
  summary: string | null;
  referenceId: string | null;
  actorId: string | null;
  payload: Record<string, unknown>;
}

/** A consumed event as the profile sees it: a timeline entry, and maybe a fact for the summary. */
export interface ProfileEvent {
  tenantId: string;
  /** The customer the event names (a merged customer's events count for its survivor). */
  customerId: string;
  entry: ProfileTimelineEntry;
  fact?: ProfileFact;
}

/** Ticket statuses that still need work; resolved and closed ones do not. */
export const OPEN_TICKET_STATUSES = ['new', 'open', 'pending_customer'] as const;
export const TICKET_STATUSES = [...OPEN_TICKET_STATUSES, 'resolved', 'closed'] as const;
