import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ConvertedCustomerSchema,
  LeadAssignedEvent,
  LeadAssignedSchema,
  LeadCapturedEvent,
  LeadCapturedSchema,
  LeadConvertedEvent,
  LeadConvertedSchema,
  LeadDisqualifiedEvent,
  LeadDisqualifiedSchema,
} from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import type { LeadEntity } from './lead.entity';

/** The customer a conversion asks the customers service to create. */
export interface NewCustomer {
  type: 'person' | 'company';
  name: string;
  phones: string[];
  emails: string[];
  industry: string | null;
  region: string | null;
  ownerId: string | null;
  source: string;
  contactName: string | null;
}

/** Publishes sales.lead.v1 through the outbox, in the transaction of the change; the subject is the lead id. */
@Injectable()
export class LeadEvents {
  constructor(private readonly eventBus: EventBus) {}

  async captured(manager: EntityManager, lead: LeadEntity): Promise<void> {
    await this.eventBus.publish(
      manager,
      LeadCapturedEvent,
      create(LeadCapturedSchema, {
        tenantId: lead.tenantId,
        leadId: lead.id,
        channel: lead.channel,
        companyName: lead.companyName ?? '',
        contactName: lead.contactName,
        industry: lead.industry ?? '',
        region: lead.region ?? '',
        campaignId: lead.campaignId ?? '',
        partnerId: lead.partnerId ?? '',
        formId: lead.formId ?? '',
        score: lead.score,
        ownerId: lead.ownerId ?? '',
        duplicateOf: lead.duplicateOf ?? '',
        customerId: lead.customerId ?? '',
        capturedAt: lead.createdAt.toISOString(),
        version: BigInt(lead.version),
      }),
      { subject: lead.id, tenantId: lead.tenantId },
    );
  }

  async assigned(manager: EntityManager, lead: LeadEntity, previousOwnerId: string | null, assignedBy: string | null, at: Date): Promise<void> {
    if (!lead.ownerId) return;
    await this.eventBus.publish(
      manager,
      LeadAssignedEvent,
      create(LeadAssignedSchema, {
        tenantId: lead.tenantId,
        leadId: lead.id,
        ownerId: lead.ownerId,
        previousOwnerId: previousOwnerId ?? '',
        teamId: lead.teamId ?? '',
        reason: lead.assignmentReason ?? '',
        score: lead.score,
        assignedBy: assignedBy ?? '',
        assignedAt: at.toISOString(),
        version: BigInt(lead.version),
      }),
      { subject: lead.id, tenantId: lead.tenantId },
    );
  }

  /** LeadAssigned (reason `handover`) for every lead a handover gave to a user; none for leads it sent back to the pool. */
  async handedOver(manager: EntityManager, tenantId: string, fromUserId: string, moved: ReadonlyArray<{ id: string; owner_id: string | null; score: number; version: number }>): Promise<void> {
    const at = new Date().toISOString();
    const items = moved.flatMap((row) => {
      if (row.owner_id === null) return [];
      const message = create(LeadAssignedSchema, {
        tenantId,
        leadId: row.id,
        ownerId: row.owner_id,
        previousOwnerId: fromUserId,
        reason: 'handover',
        score: Number(row.score),
        assignedAt: at,
        version: BigInt(row.version),
      });
      return [{ message, subject: row.id, tenantId }];
    });
    if (items.length > 0) await this.eventBus.publishMany(manager, LeadAssignedEvent, items);
  }

  async converted(manager: EntityManager, lead: LeadEntity, customerId: string, customer: NewCustomer | null): Promise<void> {
    await this.eventBus.publish(
      manager,
      LeadConvertedEvent,
      create(LeadConvertedSchema, {
        tenantId: lead.tenantId,
        leadId: lead.id,
        customerId,
        customerCreated: customer !== null,
        customer: customer
          ? create(ConvertedCustomerSchema, {
              type: customer.type,
              name: customer.name,
              phones: customer.phones,
              emails: customer.emails,
              industry: customer.industry ?? '',
              region: customer.region ?? '',
              ownerId: customer.ownerId ?? '',
              source: customer.source,
              contactName: customer.contactName ?? '',
            })
          : undefined,
        opportunityId: lead.opportunityId ?? '',
        channel: lead.channel,
        campaignId: lead.campaignId ?? '',
        partnerId: lead.partnerId ?? '',
        convertedBy: lead.convertedBy ?? '',
        convertedAt: (lead.convertedAt ?? new Date()).toISOString(),
        version: BigInt(lead.version),
      }),
      { subject: lead.id, tenantId: lead.tenantId },
    );
  }

  async disqualified(manager: EntityManager, lead: LeadEntity): Promise<void> {
    await this.eventBus.publish(
      manager,
      LeadDisqualifiedEvent,
      create(LeadDisqualifiedSchema, {
        tenantId: lead.tenantId,
        leadId: lead.id,
        reason: lead.disqualifiedReason ?? '',
        ownerId: lead.ownerId ?? '',
        disqualifiedBy: lead.disqualifiedBy ?? '',
        disqualifiedAt: (lead.disqualifiedAt ?? new Date()).toISOString(),
        version: BigInt(lead.version),
      }),
      { subject: lead.id, tenantId: lead.tenantId },
    );
  }
}
