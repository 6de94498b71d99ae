import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OpportunityWonEvent, OrderPlacedEvent, type OpportunityWon, type OrderPlaced } from '@crm/contracts';
import { isUuid } from '@crm/platform/api';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { AutomationActions } from './automation-actions';
import { conditionsMatch, type AutomationTrigger, type SubjectFacts } from './automation-rule-documents';
import { AutomationRulesRepository, type AutomationRuleRecord } from './automation-rules.repository';
import { AutomationRunner } from './automation-runner';
import { AutomationSubjects } from './automation-subjects';

const CURRENCY = /^[A-Z]{3}$/;

/**
 * Runs the tenant's active automation rules on sales' own events (sales.order.v1 OrderPlaced,
 * sales.opportunity.v1 OpportunityWon), in the consumer's transaction: each matching rule once per
 * subject (AutomationRunner), in the order the rules were created. A malformed event is poison.
 */
@Injectable()
export class AutomationEventsConsumer {
  constructor(
    private readonly rules: AutomationRulesRepository,
    private readonly runner: AutomationRunner,
    private readonly actions: AutomationActions,
    private readonly subjects: AutomationSubjects,
  ) {}

  @OnEvent(OrderPlacedEvent)
  async onOrderPlaced(event: ReceivedEvent<OrderPlaced>, manager: EntityManager): Promise<void> {
    const data = event.data;
    const tenantId = this.tenantOf(event, data.tenantId);
    const orderId = this.id(data.orderId, 'orderId', event);
    const customerId = this.id(data.customerId, 'customerId', event);
    if (!CURRENCY.test(data.currency)) throw new PoisonMessageError(`OrderPlaced ${event.id}: currency ${JSON.stringify(data.currency)} is not an ISO 4217 code`);
    await this.runRules(manager, tenantId, 'order_placed', orderId, event.id, async () => ({
      amountMicros: data.totalAmountMicros,
      currency: data.currency,
      channel: data.channel,
      region: await this.subjects.customerRegion(manager, tenantId, customerId),
    }), (rule) => () => this.actions.draftContractWithInvoiceRequest(manager, rule, orderId));
  }

  @OnEvent(OpportunityWonEvent)
  async onOpportunityWon(event: ReceivedEvent<OpportunityWon>, manager: EntityManager): Promise<void> {
    const data = event.data;
    const tenantId = this.tenantOf(event, data.tenantId);
    const opportunityId = this.id(data.opportunityId, 'opportunityId', event);
    const customerId = this.id(data.customerId, 'customerId', event);
    if (!CURRENCY.test(data.currency)) throw new PoisonMessageError(`OpportunityWon ${event.id}: currency ${JSON.stringify(data.currency)} is not an ISO 4217 code`);
    await this.runRules(manager, tenantId, 'opportunity_won', opportunityId, event.id, async () => ({
      amountMicros: data.amountMicros,
      currency: data.currency,
      pipelineId: data.pipelineId,
      region: await this.subjects.customerRegion(manager, tenantId, customerId),
    }), (rule) => () => this.actions.draftOrder(manager, rule, opportunityId));
  }

  private async runRules(
    manager: EntityManager,
    tenantId: string,
    trigger: AutomationTrigger,
    subjectId: string,
    eventId: string,
    facts: () => Promise<SubjectFacts>,
    action: (rule: AutomationRuleRecord) => Parameters<AutomationRunner['run']>[4],
  ): Promise<void> {
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, tenantId);
    const rules = await this.rules.activeRules(manager, tenantId, trigger);
    if (rules.length === 0) return;
    const known = await facts();
    for (const rule of rules) {
      if (!conditionsMatch(rule.conditions, known)) continue;
      await this.runner.run(manager, rule, subjectId, eventId, action(rule));
    }
  }

  private tenantOf(event: ReceivedEvent<{ tenantId: string }>, dataTenantId: string): string {
    if (!isUuid(dataTenantId) || dataTenantId.toLowerCase() !== event.tenantId.toLowerCase()) {
      throw new PoisonMessageError(`${event.type} ${event.id}: tenant ${JSON.stringify(dataTenantId)} in the payload, ${event.tenantId} on the envelope`);
    }
    return dataTenantId.toLowerCase();
  }

  private id(value: string, field: string, event: ReceivedEvent<unknown>): string {
    if (!isUuid(value)) throw new PoisonMessageError(`${event.type} ${event.id}: ${field} ${JSON.stringify(value)} is not a uuid`);
    return value.toLowerCase();
  }
}
