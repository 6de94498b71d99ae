import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Where a task the service raises comes from; the API's own tasks are `manual`. */
export type TaskOrigin = 'rotting' | 'renewal' | 'automation' | 'escalation' | 'payment' | 'handover';

export interface TaskToRaise {
  tenantId: string;
  ownerId: string;
  subject: string;
  notes?: string | null;
  dueAt?: Date | null;
  origin: TaskOrigin;
  /**
   * What makes this task unique in the tenant, e.g. `renewal:<contractId>:<endDate>`: raising it again
   * (a second scheduler instance, a redelivered event, a restart) returns the existing task instead.
   */
  originKey: string;
  leadId?: string | null;
  opportunityId?: string | null;
  customerId?: string | null;
  contractId?: string | null;
  orderId?: string | null;
}

/**
 * Tasks the service raises for people (renew a contract, revive a rotting deal, assign a waiting lead):
 * rows of `activities` with kind `task`, exactly once per origin key, in the caller's transaction.
 */
@Injectable()
export class SalesTasks {
  /** The task's id and whether this call created it (false: it existed already). */
  async raise(manager: EntityManager, task: TaskToRaise): Promise<{ id: string; created: boolean }> {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO activities (id, tenant_id, kind, subject, notes, status, due_at, owner_id, lead_id, opportunity_id, customer_id, contract_id, order_id, origin, origin_key)
         VALUES ($1, $2, 'task', $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (tenant_id, origin_key) WHERE origin_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        task.tenantId,
        task.subject,
        task.notes ?? null,
        task.dueAt ?? null,
        task.ownerId,
        task.leadId ?? null,
        task.opportunityId ?? null,
        task.customerId ?? null,
        task.contractId ?? null,
        task.orderId ?? null,
        task.origin,
        task.originKey,
      ],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true };
    const existing: Array<{ id: string }> = await manager.query(`SELECT id FROM activities WHERE tenant_id = $1 AND origin_key = $2`, [task.tenantId, task.originKey]);
    return { id: existing[0].id, created: false };
  }
}
