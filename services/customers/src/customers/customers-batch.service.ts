import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { ownershipScope, principal, type OwnershipScope, type Principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { DuplicateDetector } from '../duplicates/duplicate-detector';
import { normaliseText, type FieldProblem } from '../standardisation';
import type { CustomerChange } from './customer-events';
import { CustomerEvents } from './customer-events';
import { CustomerSearchIndex } from './customer-search-index';
import { WRITE_PROBLEMS } from './customer.errors';
import type { CustomerEntity } from './customer.entity';
import { CustomerWriter, hasChanges, type CustomerWrite } from './customer-writer';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import type { BatchItemResultDto, BatchResultDto, BatchSummaryDto } from './dto/customer.dto';
import { BatchCustomerItemDto } from './dto/customer-input.dto';

/** Items per transaction: a failure costs at most this many items, and locks are held briefly. */
export const BATCH_CHUNK_SIZE = 200;

interface ValidItem {
  index: number;
  input: CustomerWrite;
  externalId: string | null;
}

/**
 * Upserts up to 1,000 customers by externalId for integrators. Every item is checked on its own (the same
 * structure rules as single writes, then the same standardisation, custom field and owner rules), so one
 * bad item never stops the others. Valid items are written in chunks, one transaction each, with their
 * events in the same transaction.
 */
@Injectable()
export class CustomersBatchService {
  private readonly logger = new Logger(CustomersBatchService.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly customers: CustomersRepository,
    private readonly writer: CustomerWriter,
    private readonly service: CustomersService,
    private readonly events: CustomerEvents,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly duplicates: DuplicateDetector,
  ) {}

  async upsert(items: ReadonlyArray<Record<string, unknown>>): Promise<BatchResultDto> {
    const caller = principal();
    const scope = ownershipScope();
    const results: BatchItemResultDto[] = new Array(items.length);
    const valid: ValidItem[] = [];
    const firstIndexOf = new Map<string, number>();

    items.forEach((raw, index) => {
      const { input, problems } = checkStructure(raw);
      const externalId = typeof input?.externalId === 'string' ? normaliseText(input.externalId) || null : null;
      if (externalId !== null && problems.length === 0) {
        const first = firstIndexOf.get(externalId);
        if (first !== undefined) {
          problems.push({ field: 'externalId', code: 'duplicate_external_id', message: `externalId ${JSON.stringify(externalId)} is also item ${first} of this batch` });
        } else firstIndexOf.set(externalId, index);
      }
      if (problems.length > 0 || !input) results[index] = invalid(index, externalId, problems);
      else valid.push({ index, input, externalId });
    });

    for (let start = 0; start < valid.length; start += BATCH_CHUNK_SIZE) {
      const chunk = valid.slice(start, start + BATCH_CHUNK_SIZE);
      for (const result of await this.writeChunk(chunk, caller, scope)) results[result.index] = result;
    }
    return { items: results, summary: summarise(results) };
  }

  /** One transaction; a unique-key race with a concurrent writer is retried once with fresh reads. */
  private async writeChunk(chunk: readonly ValidItem[], caller: Principal, scope: OwnershipScope): Promise<BatchItemResultDto[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactions.run((manager) => this.writeChunkIn(manager, chunk, caller, scope));
      } catch (error) {
        const race = isUniqueViolation(error, 'customers_tenant_external_id_key');
        if (race && attempt === 1) continue;
        this.logger.error(`batch upsert: ${chunk.length} items not written: ${(error as Error).message}`);
        const problem: FieldProblem = {
          field: race ? 'externalId' : '',
          code: WRITE_PROBLEMS.writeFailed,
          message: race ? 'Another request wrote a customer with this externalId at the same time; retry the item' : 'The item could not be written; retry it',
        };
        return chunk.map(({ index, externalId }) => ({ index, status: 'failed' as const, ...(externalId ? { externalId } : {}), problems: [problem] }));
      }
    }
  }

  private async writeChunkIn(manager: EntityManager, chunk: readonly ValidItem[], caller: Principal, scope: OwnershipScope): Promise<BatchItemResultDto[]> {
    const context = await this.service.writeContext(manager, caller, scope);
    const externalIds = chunk.map((item) => item.externalId).filter((id): id is string => id !== null);
    const existing = new Map<string, CustomerEntity>();
    for (const customer of await this.customers.findByExternalIdsForUpdate(manager, externalIds)) existing.set(customer.externalId ?? '', customer);
    const visible = await this.customers.idsInScope(manager, [...existing.values()].map((customer) => customer.id), scope);

    const results: BatchItemResultDto[] = [];
    const inserts: CustomerEntity[] = [];
    const updates: CustomerEntity[] = [];
    const changes: CustomerChange[] = [];
    for (const { index, input, externalId } of chunk) {
      const current = externalId === null ? undefined : existing.get(externalId);
      if (current && !visible.has(current.id)) {
        results.push(invalid(index, externalId, [{ field: 'externalId', code: WRITE_PROBLEMS.externalIdTaken, message: 'This externalId belongs to a customer outside your scope' }]));
        continue;
      }
      const target = current ?? { id: randomUUID(), tenantId: caller.tenantId };
      const { resolved, problems } = await this.writer.resolve(manager, input, context, target, current);
      if (problems.length > 0) {
        results.push(invalid(index, externalId, problems));
        continue;
      }
      if (!current) {
        const customer = this.writer.newCustomer(target, resolved, context);
        inserts.push(customer);
        changes.push({ kind: 'created', customer });
        results.push(written(index, 'created', customer));
        continue;
      }
      const applied = this.writer.apply(current, resolved);
      if (!hasChanges(applied)) {
        results.push(written(index, 'unchanged', current));
        continue;
      }
      current.version += 1;
      current.updatedAt = context.now;
      updates.push(current);
      changes.push({ kind: 'changed', customer: current, ...applied, changedBy: caller.userId });
      results.push(written(index, 'updated', current));
    }

    await this.customers.insert(manager, inserts);
    for (const customer of updates) await this.customers.save(manager, customer);
    await this.searchIndex.index(manager, [...inserts, ...updates]);
    const duplicates = await this.duplicates.check(manager, [...inserts, ...updates]);
    await this.events.publish(manager, changes);
    return results.map((result) => (result.id && duplicates.has(result.id) ? { ...result, possibleDuplicates: duplicates.get(result.id) } : result));
  }
}

/** The item as a DTO instance, or the structural problems class-validator finds (types, sizes, unknown fields). */
function checkStructure(raw: Record<string, unknown>): { input?: BatchCustomerItemDto; problems: FieldProblem[] } {
  const input = plainToInstance(BatchCustomerItemDto, raw);
  const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  return errors.length > 0 ? { problems: toProblems(errors) } : { input, problems: [] };
}

function toProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? WRITE_PROBLEMS.unknownField : WRITE_PROBLEMS.invalidValue,
      message,
    }));
    return [...own, ...toProblems(error.children ?? [], field)];
  });
}

function invalid(index: number, externalId: string | null, problems: FieldProblem[]): BatchItemResultDto {
  return { index, status: 'invalid', ...(externalId ? { externalId } : {}), problems };
}

function written(index: number, status: 'created' | 'updated' | 'unchanged', customer: CustomerEntity): BatchItemResultDto {
  return { index, status, id: customer.id, ...(customer.externalId ? { externalId: customer.externalId } : {}), version: customer.version };
}

function summarise(results: readonly BatchItemResultDto[]): BatchSummaryDto {
  const summary: BatchSummaryDto = { created: 0, updated: 0, unchanged: 0, invalid: 0, failed: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}
