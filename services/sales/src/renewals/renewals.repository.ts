import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A contract in force whose end date is within its tenant's reminder period and not reminded of yet. */
export interface RenewalCandidate {
  contractId: string;
  endDate: string;
  daysLeft: number;
}

/** Finds contracts due for a renewal reminder and records reminders (the exactly-once key). */
@Injectable()
export class RenewalsRepository {
  /** Tenants with at least one contract due, as of `today` (YYYY-MM-DD); run as system (every tenant). */
  async tenantsWithDue(manager: EntityManager, today: string): Promise<string[]> {
    const rows: Array<{ tenant_id: string }> = await manager.query(
      `SELECT DISTINCT c.tenant_id
         FROM contracts c
         LEFT JOIN order_to_cash_settings s ON s.tenant_id = c.tenant_id
        WHERE c.status IN ('signed', 'active') AND c.end_date IS NOT NULL
          AND c.end_date >= $1::date AND c.end_date <= $1::date + 365
          AND c.end_date <= $1::date + COALESCE(s.renewal_reminder_days, 30)
          AND NOT EXISTS (SELECT 1 FROM renewal_reminders r WHERE r.tenant_id = c.tenant_id AND r.contract_id = c.id AND r.end_date = c.end_date)`,
      [today],
    );
    return rows.map((row) => row.tenant_id);
  }

  /**
   * Up to `limit` due contracts of the tenant, locked; rows another instance holds are skipped (it is
   * reminding of them), so two schedulers split the work.
   */
  async due(manager: EntityManager, tenantId: string, today: string, limit: number): Promise<RenewalCandidate[]> {
    const rows: Array<{ id: string; end_date: string; days_left: number }> = await manager.query(
      `SELECT c.id, c.end_date::text AS end_date, (c.end_date - $2::date) AS days_left
         FROM contracts c
        WHERE c.tenant_id = $1 AND c.status IN ('signed', 'active') AND c.end_date IS NOT NULL
          AND c.end_date >= $2::date
          AND c.end_date <= $2::date + COALESCE((SELECT s.renewal_reminder_days FROM order_to_cash_settings s WHERE s.tenant_id = $1), 30)
          AND NOT EXISTS (SELECT 1 FROM renewal_reminders r WHERE r.tenant_id = c.tenant_id AND r.contract_id = c.id AND r.end_date = c.end_date)
        ORDER BY c.end_date, c.id
        LIMIT $3
        FOR UPDATE OF c SKIP LOCKED`,
      [tenantId, today, limit],
    );
    return rows.map((row) => ({ contractId: row.id, endDate: row.end_date, daysLeft: Number(row.days_left) }));
  }

  /** Records the reminder; false when one for this contract and end date exists (another instance, an earlier run). */
  async claim(manager: EntityManager, tenantId: string, contractId: string, endDate: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO renewal_reminders (tenant_id, contract_id, end_date, reminded_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, contract_id, end_date) DO NOTHING RETURNING contract_id`,
      [tenantId, contractId, endDate, at],
    );
    return rows.length > 0;
  }

  async setTask(manager: EntityManager, tenantId: string, contractId: string, endDate: string, taskId: string): Promise<void> {
    await manager.query(`UPDATE renewal_reminders SET task_id = $4 WHERE tenant_id = $1 AND contract_id = $2 AND end_date = $3`, [tenantId, contractId, endDate, taskId]);
  }
}
