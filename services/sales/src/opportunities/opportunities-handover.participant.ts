import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HandoverParticipant, WorkMove } from '../handover/handover-participant';
import { OpportunityEvents } from './opportunity-events';

/**
 * Open opportunities of a leaving user go to the new owner of their customer when the handover rules
 * name one, else to `toUserId`. An opportunity always has an owner, so with no target at all (toUserId
 * null and no rule for its customer) it stays where it is and is not counted. Won and lost ones keep
 * their owner: they are history. Each moved opportunity gets a new version and an OpportunityOwnerChanged
 * event naming the handover; its idle time (rotting) is not reset.
 */
@Injectable()
export class OpportunitiesHandoverParticipant implements HandoverParticipant {
  readonly kind = 'opportunities';

  constructor(private readonly events: OpportunityEvents) {}

  async moveOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const moved: Array<{ id: string; customer_id: string; owner_id: string; version: number }> = await manager.query(
      `WITH targets AS (${TARGETS_SQL}),
       moved AS (
         UPDATE opportunities o SET owner_id = t.new_owner_id, version = o.version + 1, updated_at = now()
           FROM targets t
          WHERE o.id = t.id AND o.tenant_id = $1
          RETURNING o.id, o.customer_id, o.owner_id, o.version
       )
       SELECT * FROM moved ORDER BY id`,
      params(move),
    );
    const changes = moved.map((row) => ({ tenantId: move.tenantId, id: row.id, customerId: row.customer_id, previousOwnerId: move.fromUserId, ownerId: row.owner_id, version: row.version }));
    await this.events.ownerChanged(manager, changes, move.handedOverBy ?? null, move.at ?? new Date(), move.handoverId ?? '');
    return moved.length;
  }

  async countOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const rows: Array<{ count: number }> = await manager.query(`WITH targets AS (${TARGETS_SQL}) SELECT count(*)::int AS count FROM targets`, params(move));
    return rows[0]?.count ?? 0;
  }
}

/** Open opportunities of $2 with their new owner: the rule's for their customer ($4), else $3; none without either. */
const TARGETS_SQL = `
  SELECT o.id, COALESCE(r.owner_id, $3::uuid) AS new_owner_id
    FROM opportunities o
    LEFT JOIN jsonb_to_recordset($4::jsonb) AS r(customer_id uuid, owner_id uuid) ON r.customer_id = o.customer_id
   WHERE o.tenant_id = $1 AND o.owner_id = $2 AND o.status = 'open' AND COALESCE(r.owner_id, $3::uuid) IS NOT NULL
   FOR UPDATE OF o`;

function params(move: WorkMove): unknown[] {
  const rules = [...(move.customerOwners ?? new Map<string, string>()).entries()].map(([customerId, ownerId]) => ({ customer_id: customerId, owner_id: ownerId }));
  return [move.tenantId, move.fromUserId, move.toUserId, JSON.stringify(rules)];
}
