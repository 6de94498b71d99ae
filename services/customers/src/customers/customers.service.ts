import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasPermission, ownershipScope, principal, type Principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { PermissionDeniedError, ValidationFailedError } from '@crm/platform/errors';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { DuplicateDetector } from '../duplicates/duplicate-detector';
import { PiiAccessLog } from '../pii/pii-access-log';
import { CustomerEvents } from './customer-events';
import { CustomerSearchIndex } from './customer-search-index';
import { CustomerNotFoundError, ExternalIdTakenError, InvalidCustomerError } from './customer.errors';
import type { CustomerEntity } from './customer.entity';
import { toCustomerDto } from './customer.mapper';
import { CustomerWriter, hasChanges, type AppliedChanges, type WriteContext } from './customer-writer';
import { CustomersRepository } from './customers.repository';
import type { CustomerDto, PiiAccessDto } from './dto/customer.dto';
import type { CreateCustomerDto, ListCustomersQueryDto, TagChangesDto, UpdateCustomerDto } from './dto/customer-input.dto';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';

@Injectable()
export class CustomersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly customers: CustomersRepository,
    private readonly writer: CustomerWriter,
    private readonly customFields: CustomFieldsService,
    private readonly events: CustomerEvents,
    private readonly piiAccess: PiiAccessLog,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly duplicates: DuplicateDetector,
  ) {}

  async list(query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    const scope = ownershipScope();
    const { q, ownerId, stage, tier, tag, region, createdFrom, createdTo, limit, cursor, total } = query;
    const from = createdFrom ? new Date(createdFrom) : undefined;
    const to = createdTo ? new Date(createdTo) : undefined;
    if (from && to && from >= to) throw new ValidationFailedError([{ field: 'createdTo', message: 'createdTo must be later than createdFrom' }]);
    return this.transactions.run(async (manager) => {
      const page = await this.customers.page(manager, { q, ownerId, stage, tier, tag, region, createdFrom: from, createdTo: to }, scope, { limit, cursor, total });
      return mapPage(page, (customer) => toCustomerDto(customer));
    });
  }

  /** One customer; `revealPii` (needs pii:read) shows national ID and bank account, and records that it did. */
  async get(id: string, revealPii = false): Promise<CustomerDto> {
    const caller = principal();
    if (revealPii && !hasPermission(caller.roles, 'pii:read')) throw new PermissionDeniedError('Showing national ID and bank account unmasked needs the permission pii:read');
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const customer = await this.findOrFail(manager, id, scope);
      if (!revealPii) return toCustomerDto(customer);
      const revealed = this.writer.reveal(customer);
      const fields = (['nationalId', 'bankAccount'] as const).filter((field) => revealed[field] !== null);
      if (fields.length > 0) await this.piiAccess.record(manager, { customerId: customer.id, actorId: caller.userId, fields });
      return toCustomerDto(customer, revealed);
    });
  }

  async create(input: CreateCustomerDto): Promise<CustomerDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const context = await this.writeContext(manager, caller, scope);
      const target = { id: randomUUID(), tenantId: caller.tenantId };
      const { resolved, problems } = await this.writer.resolve(manager, input, context, target);
      if (problems.length > 0) throw new InvalidCustomerError(problems);
      const customer = this.writer.newCustomer(target, resolved, context);
      await this.insertUnique(manager, customer);
      const possibleDuplicates = (await this.duplicates.check(manager, [customer])).get(customer.id) ?? [];
      await this.events.publish(manager, [{ kind: 'created', customer }]);
      return { ...toCustomerDto(customer), possibleDuplicates };
    });
  }

  async update(id: string, input: UpdateCustomerDto, expectedVersion: number | undefined): Promise<CustomerDto> {
    const caller = principal();
    const scope = ownershipScope();
    const { version: _bodyVersion, ...changes } = input;
    return this.transactions.run(async (manager) => {
      const customer = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, customer.version);
      const context = await this.writeContext(manager, caller, scope);
      const { resolved, problems } = await this.writer.resolve(manager, changes, context, customer, customer);
      if (problems.length > 0) throw new InvalidCustomerError(problems);
      const applied = this.writer.apply(customer, resolved);
      await this.commitChanges(manager, customer, applied, caller);
      return toCustomerDto(customer);
    });
  }

  async tag(id: string, input: TagChangesDto, expectedVersion: number | undefined): Promise<CustomerDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const customer = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, customer.version);
      const { changes, problems } = this.writer.changeTags(customer, input.add ?? [], input.remove ?? []);
      if (problems.length > 0) throw new InvalidCustomerError(problems);
      await this.commitChanges(manager, customer, changes, caller);
      return toCustomerDto(customer);
    });
  }

  /** Soft delete: the row stays for references and audit, but is never listed, found or searched again. */
  async remove(id: string, expectedVersion: number | undefined): Promise<void> {
    const scope = ownershipScope();
    await this.transactions.run(async (manager) => {
      const customer = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, customer.version);
      const now = new Date();
      customer.deletedAt = now;
      customer.updatedAt = now;
      await this.customers.save(manager, customer);
      await this.searchIndex.remove(manager, [customer.id]);
      await this.events.publish(manager, [{ kind: 'deleted', customer }]);
    });
  }

  /** Who saw this customer's unmasked national ID or bank account, newest first. */
  async piiAccessLog(id: string, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<PiiAccessDto>> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const customer = await this.findOrFail(manager, id, scope);
      const page = await this.piiAccess.pageOfCustomer(manager, customer.id, paging);
      return mapPage(page, (entry) => ({
        id: entry.id,
        customerId: entry.customerId,
        actorId: entry.actorId,
        fields: [...entry.fields],
        requestId: entry.requestId,
        at: entry.at.toISOString(),
      }));
    });
  }

  /** Shared by every write: who writes, the tenant's custom field rules, one clock. */
  async writeContext(manager: EntityManager, caller: Principal, scope: WriteContext['scope']): Promise<WriteContext> {
    return { caller, scope, rules: await this.customFields.rules(manager), now: new Date() };
  }

  /** Bumps version and time when anything changed, saves, and publishes what changed. */
  private async commitChanges(manager: EntityManager, customer: CustomerEntity, applied: AppliedChanges, caller: Principal): Promise<void> {
    if (!hasChanges(applied)) return;
    customer.version += 1;
    customer.updatedAt = new Date();
    try {
      await this.customers.save(manager, customer);
    } catch (error) {
      if (isUniqueViolation(error, 'customers_tenant_external_id_key')) throw new ExternalIdTakenError(customer.externalId);
      throw error;
    }
    await this.searchIndex.index(manager, [customer]);
    await this.events.publish(manager, [{ kind: 'changed', customer, ...applied, changedBy: caller.userId }]);
  }

  private async insertUnique(manager: EntityManager, customer: CustomerEntity): Promise<void> {
    try {
      await this.customers.insert(manager, [customer]);
    } catch (error) {
      if (isUniqueViolation(error, 'customers_tenant_external_id_key')) throw new ExternalIdTakenError(customer.externalId);
      throw error;
    }
    await this.searchIndex.index(manager, [customer]);
  }

  private async findOrFail(manager: EntityManager, id: string, scope: WriteContext['scope'], options: { lock?: boolean } = {}): Promise<CustomerEntity> {
    const customer = isUuid(id) ? await this.customers.findInScope(manager, id, scope, options) : null;
    if (!customer) throw new CustomerNotFoundError(id);
    return customer;
  }
}
