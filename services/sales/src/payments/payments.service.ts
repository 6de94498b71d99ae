import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertVersion, isUuid, toMoney } from '@crm/platform/api';
import { currentPrincipal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { ContractDatesError, ScheduleMismatchError } from '../contracts/contract.errors';
import { toInstalmentDto } from '../contracts/contract.mapper';
import { COLLECTIBLE_STATUSES, ContractsRepository } from '../contracts/contracts.repository';
import { ContractsService } from '../contracts/contracts.service';
import type { ContractDto, InstalmentDto, InvoiceStatus } from '../contracts/dto/contract.dto';
import { isCalendarDate } from '../exchange-rates/exchange-rates.service';
import type { CreateReceiptDto, InvoiceStatusDto, PutScheduleDto, ReceiptDto, ReceiptListDto } from './dto/payment.dto';
import { PaymentEvents } from './payment-events';
import {
  InstalmentNotFoundError,
  InvoiceNumberRequiredError,
  InvoiceTransitionError,
  NoScheduleError,
  NotCollectibleError,
  OverpaymentError,
  ScheduleHasReceiptsError,
  ScheduleLockedError,
} from './payment.errors';
import { PaymentsRepository, type ReceiptRecord } from './payments.repository';
import { allocateReceipt } from './receipt-allocation';

const INVOICE_RANK: Record<InvoiceStatus, number> = { none: 0, requested: 1, issued: 2, sent: 3 };

function toReceiptDto(receipt: ReceiptRecord): ReceiptDto {
  return {
    id: receipt.id,
    contractId: receipt.contractId,
    amount: toMoney(receipt.amountMicros, receipt.currency),
    receivedAt: receipt.receivedAt.toISOString(),
    reference: receipt.reference,
    allocations: receipt.allocations.map((allocation) => ({ instalmentId: allocation.instalmentId, dueDate: allocation.dueDate, amount: toMoney(allocation.amountMicros, receipt.currency) })),
    recordedBy: receipt.recordedBy,
    createdAt: receipt.createdAt.toISOString(),
  };
}

/**
 * Payment schedules, receipts and invoice status of contracts. Every change locks the contract row
 * first, so receipts of one contract apply one after the other and never over-apply an instalment.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly contracts: ContractsRepository,
    private readonly contractsService: ContractsService,
    private readonly payments: PaymentsRepository,
    private readonly events: PaymentEvents,
  ) {}

  /** Replaces the schedule; the instalments must add up to the contract amount (422) and no money may have been received yet (409). */
  putSchedule(contractId: string, input: PutScheduleDto, expected: number | undefined): Promise<ContractDto> {
    return this.transactions.run(async (manager) => {
      const contract = await this.contractsService.load(manager, contractId, true);
      assertVersion(expected, contract.version);
      if (contract.status === 'expired' || contract.status === 'terminated') throw new ScheduleLockedError(contract.contractNumber, contract.status);
      if (await this.contracts.hasReceipts(manager, contract.id)) throw new ScheduleHasReceiptsError(contract.contractNumber);
      for (const [index, instalment] of input.instalments.entries()) {
        if (!isCalendarDate(instalment.dueDate)) throw new ContractDatesError(`instalments[${index}].dueDate ${instalment.dueDate} is not a calendar date`);
      }
      const sum = input.instalments.reduce((total, instalment) => total + BigInt(instalment.amountMicros), 0n);
      if (sum !== contract.amountMicros) {
        throw new ScheduleMismatchError(`The instalments add up to ${sum} micros, the contract amount is ${contract.amountMicros} micros ${contract.currency}`);
      }
      const ordered = input.instalments
        .map((instalment, index) => ({ index, dueDate: instalment.dueDate, amountMicros: BigInt(instalment.amountMicros), id: randomUUID() }))
        .sort((a, b) => (a.dueDate === b.dueDate ? a.index - b.index : a.dueDate < b.dueDate ? -1 : 1));
      await this.contracts.replaceSchedule(manager, contract, ordered);
      const next = { ...contract, version: contract.version + 1, updatedAt: new Date() };
      await this.contracts.update(manager, next);
      return this.contractsService.dto(manager, next);
    });
  }

  /** Records money received and applies it (to the named instalment, or the oldest open ones); emits PaymentReceived. */
  recordReceipt(contractId: string, input: CreateReceiptDto): Promise<ReceiptDto> {
    return this.transactions.run(async (manager) => {
      const contract = await this.contractsService.load(manager, contractId, true);
      if (!COLLECTIBLE_STATUSES.includes(contract.status)) throw new NotCollectibleError(contract.contractNumber, contract.status);
      const schedule = (await this.contracts.instalmentsOf(manager, [contract.id])).get(contract.id) ?? [];
      if (schedule.length === 0) throw new NoScheduleError(contract.contractNumber);
      const amount = BigInt(input.amountMicros);
      const result = allocateReceipt(
        schedule.map((instalment) => ({ id: instalment.id, dueDate: instalment.dueDate, seq: instalment.seq, openMicros: instalment.amountMicros - instalment.receivedMicros })),
        amount,
        input.instalmentId?.toLowerCase(),
      );
      if (!result.ok) {
        if (result.reason === 'unknown_instalment') throw new InstalmentNotFoundError(input.instalmentId ?? '');
        throw new OverpaymentError(result.openMicros, contract.currency);
      }
      const byId = new Map(schedule.map((instalment) => [instalment.id, instalment]));
      const receipt: ReceiptRecord = {
        id: randomUUID(),
        contractId: contract.id,
        amountMicros: amount,
        currency: contract.currency,
        receivedAt: new Date(input.receivedAt),
        reference: input.reference ?? null,
        recordedBy: currentPrincipal()?.userId ?? null,
        createdAt: new Date(),
        allocations: result.allocations.map((allocation) => ({ ...allocation, dueDate: byId.get(allocation.instalmentId)?.dueDate ?? '' })),
      };
      await this.payments.insertReceipt(manager, receipt);
      const openAfter = new Map(schedule.map((instalment) => [instalment.id, instalment.amountMicros - instalment.receivedMicros]));
      for (const allocation of receipt.allocations) openAfter.set(allocation.instalmentId, (openAfter.get(allocation.instalmentId) ?? 0n) - allocation.amountMicros);
      const contractOpen = [...openAfter.values()].reduce((sum, open) => sum + open, 0n);
      await this.events.received(manager, contract, receipt, openAfter, contractOpen);
      return toReceiptDto(receipt);
    });
  }

  receipts(contractId: string): Promise<ReceiptListDto> {
    return this.transactions.run(async (manager) => {
      const contract = await this.contractsService.load(manager, contractId, false);
      const schedule = (await this.contracts.instalmentsOf(manager, [contract.id])).get(contract.id) ?? [];
      const open = schedule.reduce((sum, instalment) => sum + instalment.amountMicros - instalment.receivedMicros, 0n);
      return { items: (await this.payments.receiptsOf(manager, contract.id)).map(toReceiptDto), open: toMoney(open, contract.currency) };
    });
  }

  /** Moves an instalment's invoice forward (requested → issued → sent); emits InvoiceStatusChanged. Repeating the current status changes nothing. */
  setInvoiceStatus(contractId: string, instalmentId: string, input: InvoiceStatusDto): Promise<InstalmentDto> {
    return this.transactions.run(async (manager) => {
      const contract = await this.contractsService.load(manager, contractId, true);
      const schedule = (await this.contracts.instalmentsOf(manager, [contract.id])).get(contract.id) ?? [];
      const instalment = isUuid(instalmentId) ? schedule.find((candidate) => candidate.id === instalmentId.toLowerCase()) : undefined;
      if (!instalment) throw new InstalmentNotFoundError(instalmentId);
      if (INVOICE_RANK[input.status] < INVOICE_RANK[instalment.invoiceStatus]) throw new InvoiceTransitionError(instalment.invoiceStatus, input.status);
      const invoiceNumber = input.invoiceNumber ?? instalment.invoiceNumber;
      if (INVOICE_RANK[input.status] >= INVOICE_RANK.issued && !invoiceNumber) throw new InvoiceNumberRequiredError();
      if (input.status === instalment.invoiceStatus && invoiceNumber === instalment.invoiceNumber) return toInstalmentDto(instalment, contract.currency);
      const at = new Date();
      await this.payments.setInvoice(manager, instalment.id, input.status, invoiceNumber, at);
      await this.events.invoiceChanged(manager, contract, instalment, { from: instalment.invoiceStatus, to: input.status, invoiceNumber, by: currentPrincipal()?.userId ?? null, at });
      return toInstalmentDto({ ...instalment, invoiceStatus: input.status, invoiceNumber }, contract.currency);
    });
  }
}
