import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { CustomFieldKeyTakenError, TooManyCustomFieldsError } from './custom-field.errors';
import { toCustomFieldDto } from './custom-field.mapper';
import type { CustomFieldRule } from './custom-field-validation';
import { CustomFieldsRepository } from './custom-fields.repository';
import type { CreateCustomFieldDto, CustomFieldDto } from './dto/custom-field.dto';

export const MAX_CUSTOM_FIELDS = 200;

@Injectable()
export class CustomFieldsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly definitions: CustomFieldsRepository,
  ) {}

  list(): Promise<CustomFieldDto[]> {
    return this.transactions.run(async (manager) => (await this.definitions.all(manager)).map(toCustomFieldDto));
  }

  /** The rules customer writes are checked against, read in the writer's transaction. */
  async rules(manager: EntityManager): Promise<CustomFieldRule[]> {
    return this.definitions.all(manager);
  }

  async create(input: CreateCustomFieldDto): Promise<CustomFieldDto> {
    return this.transactions.run(async (manager) => {
      if ((await this.definitions.count(manager)) >= MAX_CUSTOM_FIELDS) throw new TooManyCustomFieldsError(MAX_CUSTOM_FIELDS);
      const now = new Date();
      const definition = this.definitions.create(manager, {
        id: randomUUID(),
        key: input.key,
        label: input.label,
        type: input.type,
        options: input.type === 'select' ? [...(input.options ?? [])] : [],
        required: input.required ?? false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.definitions.insert(manager, definition);
      } catch (error) {
        if (isUniqueViolation(error, 'custom_field_definitions_tenant_key_key')) throw new CustomFieldKeyTakenError(input.key);
        throw error;
      }
      return toCustomFieldDto(definition);
    });
  }
}
