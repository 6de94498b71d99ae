import type { CustomFieldDefinitionEntity } from './custom-field-definition.entity';
import type { CustomFieldDto } from './dto/custom-field.dto';

export function toCustomFieldDto(definition: CustomFieldDefinitionEntity): CustomFieldDto {
  return {
    id: definition.id,
    key: definition.key,
    label: definition.label,
    type: definition.type,
    options: [...definition.options],
    required: definition.required,
    version: definition.version,
    createdAt: definition.createdAt.toISOString(),
    updatedAt: definition.updatedAt.toISOString(),
  };
}
