import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { CustomFieldDefinitionEntity } from './custom-field-definition.entity';

@Injectable()
export class CustomFieldsRepository extends TenantScopedRepository<CustomFieldDefinitionEntity> {
  constructor() {
    super(CustomFieldDefinitionEntity);
  }

  /** Every definition of the tenant, oldest first (backed by the (tenant, created_at, id) index). */
  all(manager: EntityManager): Promise<CustomFieldDefinitionEntity[]> {
    return this.findScoped(manager, { order: { createdAt: 'ASC', id: 'ASC' } });
  }

  count(manager: EntityManager): Promise<number> {
    return this.query(manager, 'd').getCount();
  }

  create(manager: EntityManager, values: Omit<CustomFieldDefinitionEntity, 'tenantId'>): CustomFieldDefinitionEntity {
    return this.createScoped(manager, values);
  }

  async insert(manager: EntityManager, definition: CustomFieldDefinitionEntity): Promise<void> {
    await this.repository(manager).insert(definition);
  }
}
