import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import type { ClientInfo } from '../common/client-info';
import type { AuditAction, AuditTargetType } from './audit-actions';
import { AuditEntriesRepository, type AuditFilter } from './audit-entries.repository';
import { toAuditEntryDto } from './audit-entry.mapper';
import { AuditEntryEntity } from './audit-entry.entity';
import type { AuditEntryDto } from './dto/audit-entry.dto';
import { mapPage, type Page } from '@crm/platform/api';

export interface AuditRecord {
  tenantId: string;
  /** Who did it; null when the system did (embedded set-up). */
  actorId: string | null;
  action: AuditAction;
  target?: { type: AuditTargetType; id: string };
  client?: ClientInfo;
  /** What changed; never secrets, passwords or tokens. */
  details?: Record<string, unknown>;
}

/**
 * Writes audit entries in the caller's transaction, so an entry exists exactly when the change it
 * describes was committed (a refused sign-in is recorded by a transaction of its own that commits).
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly entries: AuditEntriesRepository,
  ) {}

  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    await manager.getRepository(AuditEntryEntity).insert({
      id: randomUUID(),
      tenantId: record.tenantId,
      actorId: record.actorId,
      action: record.action,
      targetType: record.target?.type ?? null,
      targetId: record.target?.id ?? null,
      ip: record.client?.ip ?? null,
      userAgent: record.client?.userAgent ?? null,
      details: record.details ?? {},
      at: new Date(),
    });
  }

  async list(filter: AuditFilter, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<AuditEntryDto>> {
    const page = await this.transactions.run((manager) => this.entries.page(manager, filter, paging));
    return mapPage(page, toAuditEntryDto);
  }
}
