import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { UserEntity } from '@crm/platform/users-read-model';

export { teamMembersSql } from '@crm/platform/users-read-model';

/** Reads of the users read model (identity's users as events described them). */
@Injectable()
export class UsersRepository extends TenantScopedRepository<UserEntity> {
  constructor() {
    super(UserEntity);
  }

  findById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return this.findOneScoped(manager, { id });
  }

  /** The users among `ids` that exist and are active, e.g. to check a new owner. */
  async activeIds(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND active`, [requireTenantId(), [...ids]]);
    return new Set(rows.map((row) => row.id));
  }
}
