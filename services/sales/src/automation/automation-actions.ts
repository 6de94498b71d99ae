import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeadEscalatedEvent, LeadEscalatedSchema } from '@crm/contracts';
import { EventBus } from '@crm/platform/messaging';
import { ContractsRepository, type ContractRecord } from '../contracts/contracts.repository';
import { DocumentNumbers } from '../orders/document-numbers';
import type { CreateOrderDto } from '../orders/dto/order.dto';
import { OrdersRepository } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { PaymentEvents } from '../payments/payment-events';
import { PaymentsRepository } from '../payments/payments.repository';
import { SalesTasks } from '../tasks/sales-tasks';
import { addDays, DEFAULT_INVOICE_DUE_DAYS, termEndDate } from './automation-rule-documents';
import type { AutomationRuleRecord } from './automation-rules.repository';
import type { ActionResult } from './automation-runner';
import { AutomationSubjects, type EscalationCandidate } from './automation-subjects';

/**
 * What rules do, each in the caller's transaction (the runner's savepoint) with the same repositories
 * and event publishers the API uses, so the effects and the run row commit together.
 */
@Injectable()
export class AutomationActions {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly ordersService: OrdersService,
    private readonly contracts: ContractsRepository,
    private readonly payments: PaymentsRepository,
    private readonly paymentEvents: PaymentEvents,
    private readonly numbers: DocumentNumbers,
    private readonly subjects: AutomationSubjects,
    private readonly tasks: SalesTasks,
    private readonly eventBus: EventBus,
  ) {}

  /**
   * Order placed → a draft contract for the order (title from the order number and first line; customer,
   * owner, opportunity, amount = order total, currency; start = the order's UTC day, end after
   * `termMonths` when set) with a one-instalment schedule due `invoiceDueDays` after the order whose
   * invoice is `requested` (InvoiceStatusChanged none → requested).
   */
  async draftContractWithInvoiceRequest(manager: EntityManager, rule: AutomationRuleRecord, orderId: string): Promise<ActionResult> {
    const order = await this.orders.findById(manager, orderId, { scoped: false, lock: true });
    if (!order) return { outcome: 'skipped', detail: `order ${orderId} does not exist` };
    if (order.status === 'cancelled' || order.status === 'draft') return { outcome: 'skipped', detail: `order ${order.orderNumber} is ${order.status}` };
    if (order.totalMicros <= 0n) return { outcome: 'skipped', detail: `order ${order.orderNumber} totals 0: nothing to contract or invoice` };
    const existing = await this.subjects.contractOfOrder(manager, order.tenantId, order.id);
    if (existing) return { outcome: 'skipped', detail: `order ${order.orderNumber} has contract ${existing.contractNumber} already`, created: { existingContractId: existing.id } };

    const now = new Date();
    const startDate = order.placedAt.toISOString().slice(0, 10);
    const first = order.lines[0]?.name;
    const contract: ContractRecord = {
      id: randomUUID(),
      tenantId: order.tenantId,
      contractNumber: await this.numbers.next(manager, order.tenantId, 'contract', now),
      title: `${order.orderNumber}${first ? ` ${first}${order.lines.length > 1 ? ' 等' : ''}` : ''}`.slice(0, 300),
      customerId: order.customerId,
      ownerId: order.ownerId,
      opportunityId: order.opportunityId,
      orderId: order.id,
      amountMicros: order.totalMicros,
      currency: order.currency,
      startDate,
      endDate: rule.params.termMonths ? termEndDate(startDate, rule.params.termMonths) : null,
      terms: null,
      status: 'draft',
      signedAt: null,
      endedAt: null,
      createdBy: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.contracts.insert(manager, contract);
    const instalment = { id: randomUUID(), dueDate: addDays(startDate, rule.params.invoiceDueDays ?? DEFAULT_INVOICE_DUE_DAYS), amountMicros: order.totalMicros };
    await this.contracts.replaceSchedule(manager, contract, [instalment]);
    await this.payments.setInvoice(manager, instalment.id, 'requested', null, now);
    await this.paymentEvents.invoiceChanged(
      manager,
      contract,
      { id: instalment.id, contractId: contract.id, seq: 1, dueDate: instalment.dueDate, amountMicros: instalment.amountMicros, receivedMicros: 0n, invoiceStatus: 'none', invoiceNumber: null },
      { from: 'none', to: 'requested', invoiceNumber: null, by: null, at: now },
    );
    return { outcome: 'created', created: { contractId: contract.id, contractNumber: contract.contractNumber, instalmentId: instalment.id } };
  }

  /**
   * Opportunity won → a draft order for its customer, owner, currency and partner, with its line items
   * as lines (or one line with its name and amount when it has none). Not when it has an order already.
   */
  async draftOrder(manager: EntityManager, rule: AutomationRuleRecord, opportunityId: string): Promise<ActionResult> {
    const opportunity = await this.subjects.opportunity(manager, rule.tenantId, opportunityId);
    if (!opportunity) return { outcome: 'skipped', detail: `opportunity ${opportunityId} does not exist` };
    if (opportunity.status !== 'won') return { outcome: 'skipped', detail: `opportunity is ${opportunity.status}, not won` };
    const existing = await this.subjects.orderOfOpportunity(manager, opportunity.tenantId, opportunity.id);
    if (existing) return { outcome: 'skipped', detail: `the opportunity has order ${existing.orderNumber} already`, created: { existingOrderId: existing.id } };
    const lines: CreateOrderDto['lines'] =
      opportunity.lineItems.length > 0
        ? opportunity.lineItems.map((item) => ({
            productId: item.productId ?? undefined,
            sku: item.sku ?? undefined,
            name: item.name,
            quantity: Number(item.quantity),
            unitPriceMicros: item.unitPriceMicros,
            discountMicros: item.discountMicros,
          }))
        : [{ name: opportunity.name, quantity: 1, unitPriceMicros: opportunity.amountMicros }];
    const order = await this.ordersService.createDraft(manager, {
      customerId: opportunity.customerId,
      ownerId: opportunity.ownerId,
      currency: opportunity.currency,
      lines,
      opportunityId: opportunity.id,
      partnerId: opportunity.partnerId ?? undefined,
      notes: `自动草稿 Draft from won opportunity “${opportunity.name}” (automation rule “${rule.name}”)`.slice(0, 2000),
    });
    return { outcome: 'created', created: { orderId: order.id, orderNumber: order.orderNumber } };
  }

  /**
   * Lead unassigned too long → a task (origin key `escalation:<ruleId>:<leadId>`) for the rule's target
   * user, else a manager of the lead's team, else an admin of the tenant, and LeadEscalated.
   */
  async escalateLead(manager: EntityManager, rule: AutomationRuleRecord, lead: EscalationCandidate, now: Date): Promise<ActionResult> {
    const target = await this.subjects.escalationTarget(manager, lead.tenantId, rule.params.targetUserId ?? null, lead.teamId);
    if (!target) {
      throw new Error(
        rule.params.targetUserId
          ? `target user ${rule.params.targetUserId} is not an active user of the tenant`
          : `nobody to escalate to: ${lead.teamId ? `team ${lead.teamId} has no active manager and ` : 'the lead has no team and '}the tenant has no active admin`,
      );
    }
    const task = await this.tasks.raise(manager, {
      tenantId: lead.tenantId,
      ownerId: target.userId,
      // The company, never the contact person's name: tasks outlive a lead's erasure.
      subject: `线索待分配 Unassigned lead: ${lead.companyName ?? lead.id}（${Math.floor((now.getTime() - lead.createdAt.getTime()) / 3_600_000)} 小时无负责人）`,
      notes: `Open and without an owner since ${lead.createdAt.toISOString()}; rule “${rule.name}” escalates after ${rule.conditions.hours} hours. Assign it (PATCH /leads/${lead.id} {ownerId}).`,
      dueAt: now,
      origin: 'escalation',
      originKey: `escalation:${rule.id}:${lead.id}`,
      leadId: lead.id,
      customerId: lead.customerId,
    });
    if (!task.created) return { outcome: 'skipped', detail: `task ${task.id} exists already`, created: { taskIds: [task.id] } };
    await this.eventBus.publish(
      manager,
      LeadEscalatedEvent,
      create(LeadEscalatedSchema, {
        tenantId: lead.tenantId,
        leadId: lead.id,
        ruleId: rule.id,
        teamId: lead.teamId ?? '',
        escalatedTo: [target.userId],
        taskIds: [task.id],
        unassignedHours: rule.conditions.hours ?? 0,
        createdAt: lead.createdAt.toISOString(),
        escalatedAt: now.toISOString(),
        version: BigInt(lead.version),
      }),
      { subject: lead.id, tenantId: lead.tenantId },
    );
    return { outcome: 'created', created: { taskIds: [task.id], escalatedTo: [target.userId], targetKind: target.kind } };
  }
}
