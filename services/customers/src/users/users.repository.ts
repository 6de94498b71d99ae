import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { applyUserSnapshot, UserEntity, type UserSnapshot } from '@crm/platform/users-read-model';

export { teamMembersSql } from '@crm/platform/users-read-model';
export type { UserSnapshot } from '@crm/platform/users-read-model';

@Injectable()
export class UsersRepository extends TenantScopedRepository<UserEntity> {
  constructor() {
    super(UserEntity);
  }

  findById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return this.findOneScoped(manager, { id });
  }

  /** Stores the snapshot unless the read model already has this version or a newer one; returns whether it was applied. */
  apply(manager: EntityManager, user: UserSnapshot): Promise<boolean> {
    return applyUserSnapshot(manager, user);
  }
}
