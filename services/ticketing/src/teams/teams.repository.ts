import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';

/** A team as identity last described it. */
export interface Team {
  id: string;
  tenantId: string;
  name: string;
  managerId: string | null;
  version: number;
}

/** The read model of identity's teams; written from identity.team.v1 only, newer versions win. */
@Injectable()
export class TeamsRepository {
  async upsert(manager: EntityManager, team: Team): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO teams (id, tenant_id, name, manager_id, version, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, manager_id = EXCLUDED.manager_id, version = EXCLUDED.version, updated_at = now()
        WHERE teams.version < EXCLUDED.version AND teams.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [team.id, team.tenantId, team.name, team.managerId, team.version],
    );
    return rows.length > 0;
  }

  async findById(manager: EntityManager, teamId: string): Promise<Team | null> {
    const rows: Array<{ id: string; tenant_id: string; name: string; manager_id: string | null; version: string }> = await manager.query(
      `SELECT id, tenant_id, name, manager_id, version FROM teams WHERE tenant_id = $1 AND id = $2`,
      [requireTenantId(), teamId],
    );
    const row = rows[0];
    return row ? { id: row.id, tenantId: row.tenant_id, name: row.name, managerId: row.manager_id, version: Number(row.version) } : null;
  }
}
