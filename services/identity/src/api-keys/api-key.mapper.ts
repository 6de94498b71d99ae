import { displayPrefix } from './api-key-format';
import type { ApiKeyEntity } from './api-key.entity';
import type { ApiKeyDto } from './dto/api-key.dto';

export function toApiKeyDto(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: displayPrefix(key.keyId),
    roles: [...key.roles],
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}
