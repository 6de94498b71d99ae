import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery } from '@crm/platform/database';
import type { HandoverParticipant, WorkMove } from '../handover/handover-participant';
import { LeadEvents } from './lead-events';

const OPEN = `status IN ('new', 'working', 'qualified')`;

/**
 * The leaving user's open leads go with the handover: a lead linked to a customer a rule gave to someone
 * goes to that customer's new owner, every other one to `toUserId`, or back to the unassigned pool when
 * the handover has none (a lead may wait unassigned; converted and disqualified leads are history and
 * stay). Each lead that gets a new owner emits LeadAssigned (reason `handover`); the name search index
 * is untouched (ownership is not part of it).
 */
@Injectable()
export class LeadsHandoverParticipant implements HandoverParticipant {
  readonly kind = 'leads';

  constructor(private readonly events: LeadEvents) {}

  async moveOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const [customerIds, owners] = assignmentArrays(move);
    const moved = await modifyingQuery<{ id: string; owner_id: string | null; score: number; version: number }>(
      manager,
      `UPDATE leads l
          SET owner_id = COALESCE(m.owner_id, $3::uuid), team_id = NULL,
              assignment_reason = CASE WHEN COALESCE(m.owner_id, $3::uuid) IS NULL THEN 'unassigned_handover' ELSE 'handover' END,
              version = l.version + 1, updated_at = now()
         FROM leads t
         LEFT JOIN unnest($4::uuid[], $5::uuid[]) AS m (customer_id, owner_id) ON m.customer_id = t.customer_id
        WHERE t.id = l.id AND l.tenant_id = $1 AND l.owner_id = $2 AND l.${OPEN}
        RETURNING l.id, l.owner_id, l.score, l.version`,
      [move.tenantId, move.fromUserId, move.toUserId, customerIds, owners],
    );
    await this.events.handedOver(manager, move.tenantId, move.fromUserId, moved);
    return moved.length;
  }

  async countOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const rows: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM leads WHERE tenant_id = $1 AND owner_id = $2 AND ${OPEN}`, [move.tenantId, move.fromUserId]);
    return Number(rows[0].count);
  }
}

function assignmentArrays(move: WorkMove): [string[], string[]] {
  const entries = [...(move.customerOwners ?? new Map<string, string>()).entries()];
  return [entries.map(([customerId]) => customerId), entries.map(([, owner]) => owner)];
}
