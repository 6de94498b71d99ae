import type { Provider, Type } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What a handover moves: every open piece of work of `fromUserId` goes to `toUserId` (or to nobody — the
 * shared pool — when it is null), except work about a customer named in `customerOwners`, which goes to
 * that customer's new owner (rules by region/industry/customer ids). Runs in the handover's transaction,
 * with the tenant already set on the manager.
 */
export interface WorkMove {
  tenantId: string;
  fromUserId: string;
  toUserId: string | null;
  /** customer id → new owner, chosen by handover rules; wins over `toUserId` for work linked to that customer. */
  customerOwners?: ReadonlyMap<string, string>;
  /** The handover this move belongs to (empty in a dry run), for the events participants emit. */
  handoverId?: string;
  /** The user running the handover. */
  handedOverBy?: string | null;
  /** When the handover happened. */
  at?: Date;
}

/**
 * A part of the sales service that owns work a user can leave behind (open leads, open opportunities,
 * active contracts, open tasks and activities). Every such part registers its participant class under
 * `HANDOVER_PARTICIPANTS` (see `handoverParticipants` in sales.module.ts), so a handover cannot forget it.
 */
export interface HandoverParticipant {
  /** Key of the report, e.g. 'leads' | 'opportunities' | 'contracts' | 'tasks'. Unique per service. */
  readonly kind: string;
  /** Re-assigns the open work of `move.fromUserId` in the caller's transaction; returns the rows moved. */
  moveOpenWork(manager: EntityManager, move: WorkMove): Promise<number>;
  /**
   * How many rows `moveOpenWork` would move, without changing anything (for `dryRun`). Optional: when a
   * participant does not implement it, a dry run runs `moveOpenWork` inside a savepoint that is rolled
   * back, so the count is still exact.
   */
  countOpenWork?(manager: EntityManager, move: WorkMove): Promise<number>;
}

/** Nest token of every `HandoverParticipant` of the service (a provider array, see `handoverParticipants`). */
export const HANDOVER_PARTICIPANTS = Symbol('HANDOVER_PARTICIPANTS');

/**
 * The participant classes as providers, and `HANDOVER_PARTICIPANTS` as the array of their instances in
 * the order given (the order the handover runs them and reports them in). A part of the service that
 * owns a user's work adds its participant class to the list in sales.module.ts and nothing else.
 */
export function handoverParticipants(...participants: Array<Type<HandoverParticipant>>): Provider[] {
  return [
    ...participants,
    { provide: HANDOVER_PARTICIPANTS, useFactory: (...instances: HandoverParticipant[]) => instances, inject: participants },
  ];
}
