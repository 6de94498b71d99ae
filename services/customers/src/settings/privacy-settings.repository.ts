import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { CustomerPrivacySettingsEntity } from './privacy-settings.entity';

@Injectable()
export class PrivacySettingsRepository extends TenantScopedRepository<CustomerPrivacySettingsEntity> {
  constructor() {
    super(CustomerPrivacySettingsEntity);
  }

  /** The tenant's settings; null when it never changed them. */
  find(manager: EntityManager): Promise<CustomerPrivacySettingsEntity | null> {
    return this.findOneScoped(manager, {});
  }

  /**
   * The tenant's settings row, created with the defaults (version 0) if missing, locked for update: two
   * first changes at once serialise on the row instead of one failing on the primary key.
   */
  async lockForUpdate(manager: EntityManager): Promise<CustomerPrivacySettingsEntity> {
    await manager.query(`INSERT INTO customer_privacy_settings (tenant_id, version) VALUES ($1, 0) ON CONFLICT (tenant_id) DO NOTHING`, [requireTenantId()]);
    const settings = await this.query(manager, 's').setLock('pessimistic_write').getOne();
    if (!settings) throw new Error('The privacy settings row just ensured is not visible');
    return settings;
  }

  save(manager: EntityManager, settings: CustomerPrivacySettingsEntity): Promise<CustomerPrivacySettingsEntity> {
    return this.saveScoped(manager, settings);
  }
}
