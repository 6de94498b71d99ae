import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/**
 * The customer's own privacy requests: part of what the data subject may see, and an audit record that
 * outlives an erasure with the contact they asked from removed.
 */
@Injectable()
export class PrivacyRequestsHolder implements PersonalDataHolder {
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const rows: Array<{ id: string; type: string; reason: string; status: string; requested_by: string | null; created_at: Date; completed_at: Date | null }> =
      await manager.query(
        `SELECT id, type, reason, status, requested_by, created_at, completed_at FROM privacy_requests
          WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC`,
        [tenantId, customerId],
      );
    const requests = rows.map((row) => ({
      id: row.id,
      type: row.type,
      reason: row.reason,
      status: row.status,
      requestedBy: row.requested_by,
      createdAt: row.created_at.toISOString(),
      completedAt: row.completed_at?.toISOString() ?? null,
    }));
    return [{ name: 'privacyRequests', data: requests }];
  }

  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const [, cleared] = (await manager.query(`UPDATE privacy_requests SET requested_by = NULL WHERE tenant_id = $1 AND customer_id = $2 AND requested_by IS NOT NULL`, [
      tenantId,
      customerId,
    ])) as [unknown, number];
    return cleared;
  }
}
