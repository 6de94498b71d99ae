import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoiceStatusChangedEvent, InvoiceStatusChangedSchema, PaymentReceivedEvent, PaymentReceivedSchema, ReceiptAllocationSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import type { ContractRecord, InstalmentRecord } from '../contracts/contracts.repository';
import type { ReceiptRecord } from './payments.repository';

/** sales.payment.v1 through the outbox, keyed by the contract, in the transaction of the change. */
@Injectable()
export class PaymentEvents {
  constructor(private readonly eventBus: EventBus) {}

  async received(manager: EntityManager, contract: ContractRecord, receipt: ReceiptRecord, openAfter: ReadonlyMap<string, bigint>, contractOpenMicros: bigint): Promise<void> {
    await this.eventBus.publish(
      manager,
      PaymentReceivedEvent,
      create(PaymentReceivedSchema, {
        tenantId: contract.tenantId,
        receiptId: receipt.id,
        contractId: contract.id,
        contractNumber: contract.contractNumber,
        customerId: contract.customerId,
        amountMicros: receipt.amountMicros,
        currency: receipt.currency,
        receivedAt: receipt.receivedAt.toISOString(),
        reference: receipt.reference ?? '',
        allocations: receipt.allocations.map((allocation) =>
          create(ReceiptAllocationSchema, {
            instalmentId: allocation.instalmentId,
            dueDate: allocation.dueDate,
            amountMicros: allocation.amountMicros,
            openAfterMicros: openAfter.get(allocation.instalmentId) ?? 0n,
          }),
        ),
        contractOpenMicros,
        ownerId: contract.ownerId,
        recordedBy: receipt.recordedBy ?? '',
      }),
      { subject: contract.id, tenantId: contract.tenantId },
    );
  }

  async invoiceChanged(manager: EntityManager, contract: ContractRecord, instalment: InstalmentRecord, change: { from: string; to: string; invoiceNumber: string | null; by: string | null; at: Date }): Promise<void> {
    await this.eventBus.publish(
      manager,
      InvoiceStatusChangedEvent,
      create(InvoiceStatusChangedSchema, {
        tenantId: contract.tenantId,
        contractId: contract.id,
        contractNumber: contract.contractNumber,
        instalmentId: instalment.id,
        dueDate: instalment.dueDate,
        amountMicros: instalment.amountMicros,
        currency: contract.currency,
        previousStatus: change.from,
        status: change.to,
        invoiceNumber: change.invoiceNumber ?? '',
        ownerId: contract.ownerId,
        changedBy: change.by ?? '',
        changedAt: change.at.toISOString(),
      }),
      { subject: contract.id, tenantId: contract.tenantId },
    );
  }
}
