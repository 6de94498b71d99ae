import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertVersion, isUuid, type Page } from '@crm/platform/api';
import { currentPrincipal, principal } from '@crm/platform/auth';
import { requireTenantId, TenantTransactions } from '@crm/platform/database';
import { CustomerDirectoryRepository } from '../customers-directory/customer-directory.repository';
import { isCalendarDate } from '../exchange-rates/exchange-rates.service';
import { DocumentNumbers } from '../orders/document-numbers';
import { CustomerNotLiveError, OwnerNotActiveError } from '../orders/order.errors';
import { UsersRepository } from '../users/users.repository';
import { ContractEvents } from './contract-events';
import { toContractDto } from './contract.mapper';
import { ContractDatesError, ContractNotFoundError, ContractSignedFieldsError, ContractTransitionError, ScheduleMismatchError } from './contract.errors';
import { ContractsRepository, type ContractRecord } from './contracts.repository';
import type { ContractDto, ContractStatus, CreateContractDto, ListContractsQueryDto, UpdateContractDto } from './dto/contract.dto';

/** Status moves a PATCH may make. */
const TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  draft: ['signed', 'terminated'],
  signed: ['active', 'expired', 'terminated'],
  active: ['expired', 'terminated'],
  expired: [],
  terminated: [],
};

/**
 * Contracts: draft → signed (ContractSigned) → active → expired, or terminated. Numbered HT-<year>-<n>
 * per tenant. Amount and currency are fixed once signed; while a payment schedule exists the amount
 * must stay equal to its sum.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly contracts: ContractsRepository,
    private readonly directory: CustomerDirectoryRepository,
    private readonly users: UsersRepository,
    private readonly numbers: DocumentNumbers,
    private readonly events: ContractEvents,
  ) {}

  list(query: ListContractsQueryDto): Promise<Page<ContractDto>> {
    return this.transactions.run(async (manager) => {
      const page = await this.contracts.list(manager, query);
      const schedules = await this.contracts.instalmentsOf(manager, page.items.map((contract) => contract.id));
      return { ...page, items: page.items.map((contract) => toContractDto(contract, schedules.get(contract.id) ?? [])) };
    });
  }

  get(id: string): Promise<ContractDto> {
    return this.transactions.run(async (manager) => this.dto(manager, await this.load(manager, id, false)));
  }

  /** The contract in the caller's scope (404 otherwise); `lock` holds it until the transaction ends. */
  async load(manager: EntityManager, id: string, lock: boolean): Promise<ContractRecord> {
    const contract = isUuid(id) ? await this.contracts.findById(manager, id, { scoped: true, lock }) : null;
    if (!contract) throw new ContractNotFoundError(id);
    return contract;
  }

  async dto(manager: EntityManager, contract: ContractRecord): Promise<ContractDto> {
    return toContractDto(contract, (await this.contracts.instalmentsOf(manager, [contract.id])).get(contract.id) ?? []);
  }

  create(input: CreateContractDto): Promise<ContractDto> {
    return this.transactions.run(async (manager) => {
      const tenantId = requireTenantId();
      if (!(await this.directory.findLive(manager, input.customerId))) throw new CustomerNotLiveError(input.customerId);
      const ownerId = input.ownerId ?? principal().userId;
      if (input.ownerId !== undefined && !(await this.users.activeIds(manager, [input.ownerId])).has(input.ownerId)) throw new OwnerNotActiveError(input.ownerId);
      checkDates(input.startDate, input.endDate ?? null);
      const now = new Date();
      const contract: ContractRecord = {
        id: randomUUID(),
        tenantId,
        contractNumber: await this.numbers.next(manager, tenantId, 'contract', now),
        title: input.title,
        customerId: input.customerId.toLowerCase(),
        ownerId,
        opportunityId: input.opportunityId ?? null,
        orderId: input.orderId ?? null,
        amountMicros: BigInt(input.amountMicros),
        currency: input.currency,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
        terms: input.terms ?? null,
        status: 'draft',
        signedAt: null,
        endedAt: null,
        createdBy: currentPrincipal()?.userId ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.contracts.insert(manager, contract);
      return toContractDto(contract, []);
    });
  }

  update(id: string, input: UpdateContractDto, expected: number | undefined): Promise<ContractDto> {
    return this.transactions.run(async (manager) => {
      const contract = await this.load(manager, id, true);
      assertVersion(expected, contract.version);
      const schedule = (await this.contracts.instalmentsOf(manager, [contract.id])).get(contract.id) ?? [];
      const amountMicros = input.amountMicros === undefined ? contract.amountMicros : BigInt(input.amountMicros);
      const currency = input.currency ?? contract.currency;
      if ((amountMicros !== contract.amountMicros || currency !== contract.currency) && contract.status !== 'draft') throw new ContractSignedFieldsError(contract.contractNumber);
      if (amountMicros !== contract.amountMicros && schedule.length > 0) {
        const scheduled = schedule.reduce((sum, instalment) => sum + instalment.amountMicros, 0n);
        if (scheduled !== amountMicros) throw new ScheduleMismatchError(`The payment schedule adds up to ${scheduled} micros; replace it (PUT /contracts/${contract.id}/schedule) before changing the amount`);
      }
      if (input.ownerId !== undefined && input.ownerId !== contract.ownerId && !(await this.users.activeIds(manager, [input.ownerId])).has(input.ownerId)) {
        throw new OwnerNotActiveError(input.ownerId);
      }
      const next: ContractRecord = {
        ...contract,
        title: input.title ?? contract.title,
        amountMicros,
        currency,
        startDate: input.startDate ?? contract.startDate,
        endDate: input.endDate === undefined ? contract.endDate : input.endDate,
        terms: input.terms === undefined ? contract.terms : input.terms,
        opportunityId: input.opportunityId === undefined ? contract.opportunityId : input.opportunityId,
        orderId: input.orderId === undefined ? contract.orderId : input.orderId,
        ownerId: input.ownerId ?? contract.ownerId,
        version: contract.version + 1,
        updatedAt: new Date(),
      };
      checkDates(next.startDate, next.endDate);
      const moving = input.status !== undefined && input.status !== contract.status;
      if (moving) {
        const target = input.status as ContractStatus;
        if (!TRANSITIONS[contract.status].includes(target)) throw new ContractTransitionError(contract.contractNumber, contract.status, target);
        next.status = target;
        if (target === 'signed') next.signedAt = next.updatedAt;
        if (target === 'expired' || target === 'terminated') next.endedAt = next.updatedAt;
      }
      await this.contracts.update(manager, next);
      if (moving && next.status === 'signed') await this.events.signed(manager, next, schedule.length);
      return toContractDto(next, schedule);
    });
  }
}

function checkDates(startDate: string, endDate: string | null): void {
  if (!isCalendarDate(startDate)) throw new ContractDatesError(`startDate ${startDate} is not a calendar date`);
  if (endDate !== null && !isCalendarDate(endDate)) throw new ContractDatesError(`endDate ${endDate} is not a calendar date`);
  if (endDate !== null && endDate < startDate) throw new ContractDatesError('endDate is before startDate');
}
