import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HandoverParticipant, WorkMove } from '../handover/handover-participant';

/** Contracts that are still someone's work: being drafted, signed, or in force. Ended ones stay with who had them. */
const OPEN_STATUSES = ['draft', 'signed', 'active'];

/**
 * The leaving user's open contracts (draft, signed, active) go with the handover: a contract with a
 * customer a rule gave to someone goes to that customer's new owner, every other one to `toUserId`. A
 * contract needs an owner, so with a handover to the shared pool the contracts no rule covers stay.
 * Their instalments (which carry the owner for the payment forecast) and open renewal reminders follow;
 * open renewal tasks move with the tasks participant.
 */
@Injectable()
export class ContractsHandoverParticipant implements HandoverParticipant {
  readonly kind = 'contracts';

  async moveOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const [customerIds, owners] = assignmentArrays(move);
    const rows: Array<{ moved: number }> = await manager.query(
      `WITH moved AS (
         UPDATE contracts c
            SET owner_id = COALESCE(m.owner_id, $3::uuid), version = c.version + 1, updated_at = now()
           FROM contracts t
           LEFT JOIN unnest($4::uuid[], $5::uuid[]) AS m (customer_id, owner_id) ON m.customer_id = t.customer_id
          WHERE t.id = c.id AND c.tenant_id = $1 AND c.owner_id = $2 AND c.status = ANY($6::text[]) AND COALESCE(m.owner_id, $3::uuid) IS NOT NULL
          RETURNING c.id, c.owner_id
       ), instalments AS (
         UPDATE contract_instalments i SET owner_id = moved.owner_id FROM moved WHERE i.tenant_id = $1 AND i.contract_id = moved.id RETURNING i.id
       )
       SELECT count(*)::int AS moved FROM moved`,
      [move.tenantId, move.fromUserId, move.toUserId, customerIds, owners, OPEN_STATUSES],
    );
    return rows[0].moved;
  }

  async countOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const [customerIds, owners] = assignmentArrays(move);
    const rows: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count
         FROM contracts t
         LEFT JOIN unnest($4::uuid[], $5::uuid[]) AS m (customer_id, owner_id) ON m.customer_id = t.customer_id
        WHERE t.tenant_id = $1 AND t.owner_id = $2 AND t.status = ANY($6::text[]) AND COALESCE(m.owner_id, $3::uuid) IS NOT NULL`,
      [move.tenantId, move.fromUserId, move.toUserId, customerIds, owners, OPEN_STATUSES],
    );
    return rows[0].count;
  }
}

function assignmentArrays(move: WorkMove): [string[], string[]] {
  const entries = [...(move.customerOwners ?? new Map<string, string>()).entries()];
  return [entries.map(([customerId]) => customerId), entries.map(([, owner]) => owner)];
}
