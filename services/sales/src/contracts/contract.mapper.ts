import { toMoney } from '@crm/platform/api';
import type { ContractDto, InstalmentDto } from './dto/contract.dto';
import type { ContractRecord, InstalmentRecord } from './contracts.repository';

export function toInstalmentDto(instalment: InstalmentRecord, currency: string): InstalmentDto {
  const open = instalment.amountMicros - instalment.receivedMicros;
  return {
    id: instalment.id,
    seq: instalment.seq,
    dueDate: instalment.dueDate,
    amount: toMoney(instalment.amountMicros, currency),
    received: toMoney(instalment.receivedMicros, currency),
    open: toMoney(open, currency),
    paymentStatus: open === 0n ? 'paid' : instalment.receivedMicros > 0n ? 'partially_paid' : 'open',
    invoiceStatus: instalment.invoiceStatus,
    invoiceNumber: instalment.invoiceNumber,
  };
}

export function toContractDto(contract: ContractRecord, instalments: readonly InstalmentRecord[]): ContractDto {
  const received = instalments.reduce((sum, instalment) => sum + instalment.receivedMicros, 0n);
  return {
    id: contract.id,
    contractNumber: contract.contractNumber,
    title: contract.title,
    customerId: contract.customerId,
    ownerId: contract.ownerId,
    opportunityId: contract.opportunityId,
    orderId: contract.orderId,
    amount: toMoney(contract.amountMicros, contract.currency),
    received: toMoney(received, contract.currency),
    startDate: contract.startDate,
    endDate: contract.endDate,
    terms: contract.terms,
    status: contract.status,
    signedAt: contract.signedAt?.toISOString() ?? null,
    instalments: instalments.map((instalment) => toInstalmentDto(instalment, contract.currency)),
    version: contract.version,
    createdAt: contract.createdAt.toISOString(),
    updatedAt: contract.updatedAt.toISOString(),
  };
}
