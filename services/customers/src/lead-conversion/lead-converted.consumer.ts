import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeadConvertedEvent, type LeadConverted } from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import type { Principal } from '@crm/platform/auth';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { DuplicateDetector } from '../duplicates/duplicate-detector';
import { CustomerEvents } from '../customers/customer-events';
import { CustomerSearchIndex } from '../customers/customer-search-index';
import { CustomerWriter, type CustomerWrite } from '../customers/customer-writer';
import { CustomersRepository } from '../customers/customers.repository';
import { CustomersService } from '../customers/customers.service';
import type { CustomerType } from '../customers/customer-fields';
import type { FieldProblem } from '../standardisation';

/** The customer a converted lead asks for, checked. */
export interface LeadCustomer {
  tenantId: string;
  leadId: string;
  customerId: string;
  convertedBy: string;
  write: CustomerWrite;
}

/**
 * Creates the customer of a converted lead (sales.lead.v1 LeadConverted with customer_created) with
 * exactly the id sales chose, through the same CustomerWriter as every other write (standardisation,
 * owner rules, search index, duplicate check) and with CustomerCreated in the same transaction.
 * Idempotent twice over: the inbox skips a redelivered event, and a customer that already has the id
 * (a replay under another event id, or an id taken in any other way) is left as it is.
 *
 * The write runs as the converting user with tenant scope: sales already decided who owns the lead. A
 * new owner the users read model knows as deactivated cannot own customers: the customer is then
 * created with the converting user as owner. The tenant's required custom fields are not asked of a
 * conversion (sales cannot know them): they stay empty until someone edits the customer.
 */
@Injectable()
export class LeadConvertedConsumer {
  private readonly logger = new Logger(LeadConvertedConsumer.name);

  constructor(
    private readonly customers: CustomersRepository,
    private readonly writer: CustomerWriter,
    private readonly service: CustomersService,
    private readonly events: CustomerEvents,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly duplicates: DuplicateDetector,
  ) {}

  @OnEvent(LeadConvertedEvent)
  async onLeadConverted(event: ReceivedEvent<LeadConverted>, manager: EntityManager): Promise<void> {
    const lead = toLeadCustomer(event);
    if (!lead) return;
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, lead.tenantId);
    const existing: unknown[] = await manager.query(`SELECT 1 FROM customers WHERE id = $1 AND tenant_id = $2`, [lead.customerId, lead.tenantId]);
    if (existing.length > 0) return;

    const caller: Principal = { tenantId: lead.tenantId, userId: lead.convertedBy, roles: ['admin'], teamIds: [] };
    const context = await this.service.writeContext(manager, caller, { kind: 'tenant' });
    const target = { id: lead.customerId, tenantId: lead.tenantId };
    let { resolved, problems } = await this.writer.resolve(manager, lead.write, context, target);
    if (problems.some((problem) => problem.field === 'ownerId')) {
      this.logger.warn(`lead ${lead.leadId}: owner ${lead.write.ownerId} cannot own customers; ${lead.convertedBy} owns customer ${lead.customerId}`);
      ({ resolved, problems } = await this.writer.resolve(manager, { ...lead.write, ownerId: undefined }, context, target));
    }
    const blocking = problems.filter((problem) => !problem.field.startsWith('customFields'));
    if (blocking.length > 0) throw new PoisonMessageError(`lead ${lead.leadId}: the converted customer is invalid: ${describe(blocking)}`);

    const customer = this.writer.newCustomer(target, resolved, context);
    await this.customers.insert(manager, [customer]);
    await this.searchIndex.index(manager, [customer]);
    await this.duplicates.check(manager, [customer]);
    await this.events.publish(manager, [{ kind: 'created', customer }]);
  }
}

/** The customer to create, or undefined when the lead was linked to an existing one; a malformed event is poison. */
export function toLeadCustomer(event: ReceivedEvent<LeadConverted>): LeadCustomer | undefined {
  const { data } = event;
  if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`lead conversion for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
  if (!data.customerCreated) return undefined;
  if (!isUuid(data.customerId)) throw new PoisonMessageError(`lead ${data.leadId}: customerId ${JSON.stringify(data.customerId)} is not a customer id`);
  if (!isUuid(data.convertedBy)) throw new PoisonMessageError(`lead ${data.leadId}: convertedBy ${JSON.stringify(data.convertedBy)} is not a user id`);
  const customer = data.customer;
  if (!customer) throw new PoisonMessageError(`lead ${data.leadId}: customer_created without the customer`);
  if (customer.type !== 'person' && customer.type !== 'company') throw new PoisonMessageError(`lead ${data.leadId}: customer type ${JSON.stringify(customer.type)}`);
  if (customer.ownerId !== '' && !isUuid(customer.ownerId)) throw new PoisonMessageError(`lead ${data.leadId}: ownerId ${JSON.stringify(customer.ownerId)} is not a user id`);
  const write: CustomerWrite = {
    type: customer.type as CustomerType,
    name: customer.name,
    phones: [...customer.phones],
    emails: [...customer.emails],
    ...(customer.industry ? { industry: customer.industry } : {}),
    ...(customer.region ? { region: customer.region } : {}),
    ...(customer.source ? { source: customer.source } : {}),
    ...(customer.ownerId ? { ownerId: customer.ownerId.toLowerCase() } : {}),
  };
  return { tenantId: data.tenantId, leadId: data.leadId, customerId: data.customerId.toLowerCase(), convertedBy: data.convertedBy.toLowerCase(), write };
}

function describe(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}
