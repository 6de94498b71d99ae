import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HandoverParticipant, WorkMove } from '../handover/handover-participant';
import { modifyingQuery } from '@crm/platform/database';

/**
 * The leaving user's open tasks go with the handover: a task about a customer a rule gave to someone goes
 * to that customer's new owner, every other one to `toUserId`. A task needs an owner, so when the
 * handover is to the shared pool (no `toUserId`) the tasks no rule covers stay where they are (and the
 * report does not count them). Logged activities are history and keep the user who did them.
 */
@Injectable()
export class TaskHandoverParticipant implements HandoverParticipant {
  readonly kind = 'tasks';

  async moveOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const [customerIds, owners] = assignmentArrays(move);
    const moved = await modifyingQuery(
      manager,
      `UPDATE activities a
          SET owner_id = COALESCE(m.owner_id, $3::uuid), version = a.version + 1, updated_at = now()
         FROM activities t
         LEFT JOIN unnest($4::uuid[], $5::uuid[]) AS m (customer_id, owner_id) ON m.customer_id = t.customer_id
        WHERE t.id = a.id AND a.tenant_id = $1 AND a.owner_id = $2 AND a.kind = 'task' AND a.status = 'open'
          AND COALESCE(m.owner_id, $3::uuid) IS NOT NULL
        RETURNING a.id`,
      [move.tenantId, move.fromUserId, move.toUserId, customerIds, owners],
    );
    return moved.length;
  }

  async countOpenWork(manager: EntityManager, move: WorkMove): Promise<number> {
    const [customerIds, owners] = assignmentArrays(move);
    const rows: Array<{ count: string }> = await manager.query(
      `SELECT count(*) AS count
         FROM activities t
         LEFT JOIN unnest($4::uuid[], $5::uuid[]) AS m (customer_id, owner_id) ON m.customer_id = t.customer_id
        WHERE t.tenant_id = $1 AND t.owner_id = $2 AND t.kind = 'task' AND t.status = 'open' AND COALESCE(m.owner_id, $3::uuid) IS NOT NULL`,
      [move.tenantId, move.fromUserId, move.toUserId, customerIds, owners],
    );
    return Number(rows[0].count);
  }
}

function assignmentArrays(move: WorkMove): [string[], string[]] {
  const entries = [...(move.customerOwners ?? new Map<string, string>()).entries()];
  return [entries.map(([customerId]) => customerId), entries.map(([, owner]) => owner)];
}
