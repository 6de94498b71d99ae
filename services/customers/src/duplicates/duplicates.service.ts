import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { ownershipScope, principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { DuplicateScanner } from './duplicate-scanner';
import { DuplicatePairNotFoundError, DuplicateScanNotFoundError, DuplicateScanRunningError } from './duplicate.errors';
import { toDuplicatePairDto, toDuplicateScanDto } from './duplicate.mapper';
import { DuplicatesRepository } from './duplicates.repository';
import type { DuplicatePairDto, DuplicateScanDto, ListDuplicatesQueryDto } from './dto/duplicate.dto';

const STALE = 'interrupted: the scan stopped reporting progress (service restarted or crashed)';

@Injectable()
export class DuplicatesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly duplicates: DuplicatesRepository,
    private readonly scanner: DuplicateScanner,
  ) {}

  /** Pairs both of whose customers are in the caller's scope, highest score first. */
  async list(query: ListDuplicatesQueryDto): Promise<Page<DuplicatePairDto>> {
    const { tenantId } = principal();
    const scope = ownershipScope();
    const filter = { status: query.status ?? 'open', minScore: query.minScore ?? 0 };
    return this.transactions.run(async (manager) => {
      const page = await this.duplicates.page(manager, tenantId, filter, scope, { limit: query.limit, cursor: query.cursor, total: query.total });
      return mapPage(page, toDuplicatePairDto);
    });
  }

  /** Not a duplicate: the pair is kept as dismissed and never reported again. */
  async dismiss(id: string): Promise<DuplicatePairDto> {
    const { tenantId, userId } = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const found = isUuid(id) ? await this.duplicates.findInScope(manager, tenantId, id, scope, { lock: true }) : null;
      if (!found) throw new DuplicatePairNotFoundError(id);
      if (found.status !== 'dismissed') await this.duplicates.dismiss(manager, id, userId);
      const pair = await this.duplicates.findInScope(manager, tenantId, id, scope);
      return toDuplicatePairDto(pair ?? found);
    });
  }

  /** Starts a full scan of the tenant in the background; 409 while one is running. */
  async startScan(): Promise<DuplicateScanDto> {
    const { tenantId, userId } = principal();
    const id = randomUUID();
    const scan = await this.transactions.run(async (manager) => {
      await this.duplicates.failStaleScans(manager, STALE, undefined, tenantId);
      try {
        await this.duplicates.insertScan(manager, { id, tenantId, requestedBy: userId });
      } catch (error) {
        if (isUniqueViolation(error, 'customer_duplicate_scans_running_key')) throw new DuplicateScanRunningError(null);
        throw error;
      }
      return this.duplicates.findScan(manager, tenantId, id);
    });
    if (!scan) throw new DuplicateScanNotFoundError(id);
    this.scanner.start(tenantId, id);
    return toDuplicateScanDto(scan);
  }

  async getScan(id: string): Promise<DuplicateScanDto> {
    const { tenantId } = principal();
    return this.transactions.run(async (manager) => {
      if (!isUuid(id)) throw new DuplicateScanNotFoundError(id);
      await this.duplicates.failStaleScans(manager, STALE, undefined, tenantId);
      const scan = await this.duplicates.findScan(manager, tenantId, id);
      if (!scan) throw new DuplicateScanNotFoundError(id);
      return toDuplicateScanDto(scan);
    });
  }
}
