import type { AuditEntryEntity } from './audit-entry.entity';
import type { AuditEntryDto } from './dto/audit-entry.dto';

export function toAuditEntryDto(entry: AuditEntryEntity): AuditEntryDto {
  return {
    id: entry.id,
    action: entry.action,
    actorId: entry.actorId,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details as Record<string, unknown>,
    at: entry.at.toISOString(),
  };
}
