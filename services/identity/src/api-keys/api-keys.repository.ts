import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { ApiKeyEntity } from './api-key.entity';
import { fetchPage, type Page } from '@crm/platform/api';

/** How often `lastUsedAt` is written at most: a busy integration must not turn every call into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysRepository extends TenantScopedRepository<ApiKeyEntity> {
  constructor() {
    super(ApiKeyEntity);
  }

  /**
   * The tenant of the key with this key id. Cross-tenant by nature (the key is all the caller has):
   * only inside `TenantTransactions.runAsSystem`.
   */
  async findTenantOf(manager: EntityManager, keyId: string): Promise<string | undefined> {
    const found = await this.repository(manager).findOne({ where: { keyId }, select: { id: true, tenantId: true } });
    return found?.tenantId;
  }

  findByKeyId(manager: EntityManager, keyId: string): Promise<ApiKeyEntity | null> {
    return this.findOneScoped(manager, { keyId });
  }

  /** A key of the current tenant; only the creator's own unless `anyCreator` (admins). */
  findVisible(manager: EntityManager, id: string, viewer: { userId: string; anyCreator: boolean }): Promise<ApiKeyEntity | null> {
    return this.findOneScoped(manager, viewer.anyCreator ? { id } : { id, createdBy: viewer.userId });
  }

  /** Oldest first; indexed by (tenant, created_at) and (tenant, created_by, created_at). */
  page(manager: EntityManager, viewer: { userId: string; anyCreator: boolean }, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<ApiKeyEntity>> {
    const qb = this.query(manager, 'k');
    if (!viewer.anyCreator) qb.andWhere('k.createdBy = :userId', { userId: viewer.userId });
    return fetchPage(qb, { timeColumn: 'k.createdAt', idColumn: 'k.id', direction: 'ASC', ...paging }, (key) => ({ at: key.createdAt, id: key.id }));
  }

  create(manager: EntityManager, values: Omit<ApiKeyEntity, 'tenantId'>): ApiKeyEntity {
    return this.createScoped(manager, values);
  }

  async insert(manager: EntityManager, key: ApiKeyEntity): Promise<void> {
    await this.saveScoped(manager, key);
  }

  async revoke(manager: EntityManager, key: ApiKeyEntity): Promise<boolean> {
    const result = await this.repository(manager).update(this.scoped({ id: key.id, revokedAt: IsNull() }), { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Deactivation: a user's keys stop working with them. */
  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<number> {
    const result = await this.repository(manager).update(this.scoped({ createdBy: userId, revokedAt: IsNull() }), { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /** Records use at most once per LAST_USED_RESOLUTION_MS; the condition makes concurrent calls write once. */
  async touchLastUsed(manager: EntityManager, key: ApiKeyEntity, now = new Date()): Promise<void> {
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.repository(manager)
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: now })
      .where('id = :id AND tenant_id = :tenantId AND (last_used_at IS NULL OR last_used_at < :threshold)', {
        id: key.id,
        tenantId: key.tenantId,
        threshold: new Date(now.getTime() - LAST_USED_RESOLUTION_MS),
      })
      .execute();
  }
}
