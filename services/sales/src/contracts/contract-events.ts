import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractExpiringEvent, ContractExpiringSchema, ContractSignedEvent, ContractSignedSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import type { ContractRecord } from './contracts.repository';

/** sales.contract.v1 through the outbox, in the transaction of the change. */
@Injectable()
export class ContractEvents {
  constructor(private readonly eventBus: EventBus) {}

  async signed(manager: EntityManager, contract: ContractRecord, instalments: number): Promise<void> {
    await this.eventBus.publish(
      manager,
      ContractSignedEvent,
      create(ContractSignedSchema, {
        tenantId: contract.tenantId,
        contractId: contract.id,
        customerId: contract.customerId,
        contractNumber: contract.contractNumber,
        title: contract.title,
        opportunityId: contract.opportunityId ?? '',
        orderId: contract.orderId ?? '',
        amountMicros: contract.amountMicros,
        currency: contract.currency,
        startDate: contract.startDate,
        endDate: contract.endDate ?? '',
        instalments,
        ownerId: contract.ownerId,
        signedAt: contract.signedAt?.toISOString() ?? '',
        version: BigInt(contract.version),
      }),
      { subject: contract.id, tenantId: contract.tenantId },
    );
  }

  async expiring(manager: EntityManager, contract: ContractRecord, reminder: { daysLeft: number; taskId: string; remindedAt: Date }): Promise<void> {
    await this.eventBus.publish(
      manager,
      ContractExpiringEvent,
      create(ContractExpiringSchema, {
        tenantId: contract.tenantId,
        contractId: contract.id,
        customerId: contract.customerId,
        contractNumber: contract.contractNumber,
        title: contract.title,
        amountMicros: contract.amountMicros,
        currency: contract.currency,
        endDate: contract.endDate ?? '',
        daysLeft: reminder.daysLeft,
        taskId: reminder.taskId,
        ownerId: contract.ownerId,
        remindedAt: reminder.remindedAt.toISOString(),
        version: BigInt(contract.version),
      }),
      { subject: contract.id, tenantId: contract.tenantId },
    );
  }
}
