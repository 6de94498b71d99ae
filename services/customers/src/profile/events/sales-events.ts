import type { ActivityLogged, ContractExpiring, ContractSigned, OpportunityLost, OpportunityOpened, OpportunityStageChanged, OpportunityWon, OrderCancelled, OrderPlaced } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/platform/messaging';
import type { ProfileEvent } from '../profile-event';
import {
  assertSameTenant,
  clip,
  currencyCode,
  formatMoney,
  integerBetween,
  money,
  nonNegative,
  optionalDate,
  optionalUuid,
  positiveVersion,
  requiredTime,
  requiredUuid,
} from './event-fields';

/** Activities that are a contact with the customer ("last contact"); notes and tasks are not. */
export const CONTACT_KINDS = ['call', 'meeting', 'visit', 'email', 'wechat', 'sms'] as const;
const ACTIVITY_KINDS = [...CONTACT_KINDS, 'note', 'task'];

export function fromOrderPlaced(event: ReceivedEvent<OrderPlaced>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const orderId = requiredUuid(data.orderId, 'orderId');
  const currency = currencyCode(data.currency, 'currency');
  const total = nonNegative(data.totalAmountMicros, 'totalAmountMicros');
  const placedAt = requiredTime(data.placedAt, 'placedAt');
  const number = data.orderNumber || orderId;
  const products = data.lines.slice(0, 3).map((line) => `${line.productName || line.sku || '?'} ×${line.quantity}`);
  const more = data.lines.length > 3 ? `, +${data.lines.length - 3}` : '';
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'order.placed',
      occurredAt: placedAt,
      title: `Order ${number} placed: ${formatMoney(total, currency)}`,
      summary: data.lines.length > 0 ? clip(`${products.join(', ')}${more}`, 300) : null,
      referenceId: orderId,
      actorId: optionalUuid(data.placedBy, 'placedBy'),
      payload: {
        orderNumber: data.orderNumber,
        total: money(total, currency),
        lines: data.lines.length,
        channel: data.channel,
        couponCodes: [...data.couponCodes],
        ownerId: optionalUuid(data.ownerId, 'ownerId'),
        opportunityId: optionalUuid(data.opportunityId, 'opportunityId'),
      },
    },
    fact: { kind: 'order', refId: orderId, status: 'placed', amountMicros: total, currency, score: null, occurredAt: placedAt, version: positiveVersion(data.version) },
  };
}

export function fromOrderCancelled(event: ReceivedEvent<OrderCancelled>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const orderId = requiredUuid(data.orderId, 'orderId');
  const currency = currencyCode(data.currency, 'currency');
  const total = nonNegative(data.totalAmountMicros, 'totalAmountMicros');
  const cancelledAt = requiredTime(data.cancelledAt, 'cancelledAt');
  // The fact keeps when the order was placed, so a cancel that arrives first leaves the same row.
  const placedAt = data.placedAt ? requiredTime(data.placedAt, 'placedAt') : cancelledAt;
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'order.cancelled',
      occurredAt: cancelledAt,
      title: `Order ${data.orderNumber || orderId} cancelled: ${formatMoney(total, currency)}`,
      summary: data.reason ? clip(data.reason, 500) : null,
      referenceId: orderId,
      actorId: optionalUuid(data.cancelledBy, 'cancelledBy'),
      payload: { orderNumber: data.orderNumber, total: money(total, currency), reason: data.reason, ownerId: optionalUuid(data.ownerId, 'ownerId') },
    },
    fact: { kind: 'order', refId: orderId, status: 'cancelled', amountMicros: total, currency, score: null, occurredAt: placedAt, version: positiveVersion(data.version) },
  };
}

type OpportunityEvent = OpportunityOpened | OpportunityStageChanged | OpportunityWon | OpportunityLost;

/** The four opportunity events alike: the opportunity's state after the event, and one entry. */
function opportunity(
  event: ReceivedEvent<OpportunityEvent>,
  what: { type: ProfileEvent['entry']['type']; status: 'open' | 'won' | 'lost'; at: string; atField: string; title: string; summary: string | null; actor: string; extra: Record<string, unknown> },
): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const opportunityId = requiredUuid(data.opportunityId, 'opportunityId');
  const currency = currencyCode(data.currency, 'currency');
  const amount = nonNegative(data.amountMicros, 'amountMicros');
  const at = requiredTime(what.at, what.atField);
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: what.type,
      occurredAt: at,
      title: clip(what.title, 200),
      summary: what.summary,
      referenceId: opportunityId,
      actorId: optionalUuid(what.actor, 'changedBy'),
      payload: { name: data.name, pipelineId: optionalUuid(data.pipelineId, 'pipelineId'), amount: money(amount, currency), ownerId: optionalUuid(data.ownerId, 'ownerId'), ...what.extra },
    },
    fact: { kind: 'opportunity', refId: opportunityId, status: what.status, amountMicros: amount, currency, score: null, occurredAt: at, version: positiveVersion(data.version) },
  };
}

export function fromOpportunityOpened(event: ReceivedEvent<OpportunityOpened>): ProfileEvent {
  const { data } = event;
  const closeDate = optionalDate(data.expectedCloseDate, 'expectedCloseDate');
  return opportunity(event, {
    type: 'opportunity.opened',
    status: 'open',
    at: data.openedAt,
    atField: 'openedAt',
    title: `Opportunity ${data.name} opened: ${formatMoney(data.amountMicros, data.currency)}`,
    summary: `${data.stageName || data.stage}${closeDate ? `, expected to close ${closeDate}` : ''}`,
    actor: data.ownerId,
    extra: { stage: data.stage, stageName: data.stageName, probabilityPercent: integerBetween(data.probabilityPercent, 0, 100, 'probabilityPercent'), expectedCloseDate: closeDate, leadId: optionalUuid(data.leadId, 'leadId') },
  });
}

export function fromOpportunityStageChanged(event: ReceivedEvent<OpportunityStageChanged>): ProfileEvent {
  const { data } = event;
  const closeDate = optionalDate(data.expectedCloseDate, 'expectedCloseDate');
  return opportunity(event, {
    type: 'opportunity.stage_changed',
    status: 'open',
    at: data.changedAt,
    atField: 'changedAt',
    title: `Opportunity ${data.name}: ${data.previousStage} → ${data.stageName || data.stage}`,
    summary: closeDate ? `Expected to close ${closeDate}` : null,
    actor: data.changedBy,
    extra: { previousStage: data.previousStage, stage: data.stage, stageName: data.stageName, probabilityPercent: integerBetween(data.probabilityPercent, 0, 100, 'probabilityPercent'), expectedCloseDate: closeDate },
  });
}

export function fromOpportunityWon(event: ReceivedEvent<OpportunityWon>): ProfileEvent {
  const { data } = event;
  return opportunity(event, {
    type: 'opportunity.won',
    status: 'won',
    at: data.wonAt,
    atField: 'wonAt',
    title: `Opportunity ${data.name} won: ${formatMoney(data.amountMicros, data.currency)}`,
    summary: null,
    actor: data.changedBy,
    extra: { previousStage: data.previousStage, orderId: optionalUuid(data.orderId, 'orderId') },
  });
}

export function fromOpportunityLost(event: ReceivedEvent<OpportunityLost>): ProfileEvent {
  const { data } = event;
  return opportunity(event, {
    type: 'opportunity.lost',
    status: 'lost',
    at: data.lostAt,
    atField: 'lostAt',
    title: `Opportunity ${data.name} lost`,
    summary: data.reason ? clip(data.reason, 500) : null,
    actor: data.changedBy,
    extra: { previousStage: data.previousStage, reason: data.reason, competitor: data.competitor },
  });
}

export function fromContractSigned(event: ReceivedEvent<ContractSigned>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const contractId = requiredUuid(data.contractId, 'contractId');
  const currency = currencyCode(data.currency, 'currency');
  const amount = nonNegative(data.amountMicros, 'amountMicros');
  const start = optionalDate(data.startDate, 'startDate');
  const end = optionalDate(data.endDate, 'endDate');
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'contract.signed',
      occurredAt: requiredTime(data.signedAt, 'signedAt'),
      title: clip(`Contract ${data.contractNumber || data.title} signed: ${formatMoney(amount, currency)}`, 200),
      summary: clip(`${data.title}${start ? `, ${start} – ${end ?? 'open-ended'}` : ''}`, 300) || null,
      referenceId: contractId,
      actorId: optionalUuid(data.ownerId, 'ownerId'),
      payload: {
        contractNumber: data.contractNumber,
        title: data.title,
        amount: money(amount, currency),
        startDate: start,
        endDate: end,
        opportunityId: optionalUuid(data.opportunityId, 'opportunityId'),
        orderId: optionalUuid(data.orderId, 'orderId'),
      },
    },
  };
}

export function fromContractExpiring(event: ReceivedEvent<ContractExpiring>): ProfileEvent {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const contractId = requiredUuid(data.contractId, 'contractId');
  const end = optionalDate(data.endDate, 'endDate');
  return {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'contract.expiring',
      occurredAt: requiredTime(data.remindedAt, 'remindedAt'),
      title: clip(`Contract ${data.contractNumber || data.title} ends ${end ?? ''} (${data.daysLeft} days)`, 200),
      summary: data.title ? clip(data.title, 300) : null,
      referenceId: contractId,
      actorId: null,
      payload: {
        contractNumber: data.contractNumber,
        title: data.title,
        amount: money(nonNegative(data.amountMicros, 'amountMicros'), currencyCode(data.currency, 'currency')),
        endDate: end,
        daysLeft: data.daysLeft,
        taskId: optionalUuid(data.taskId, 'taskId'),
        ownerId: optionalUuid(data.ownerId, 'ownerId'),
      },
    },
  };
}

/** An activity with a lead only is not about a customer yet: nothing to record (null). */
export function fromActivityLogged(event: ReceivedEvent<ActivityLogged>): ProfileEvent | null {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const activityId = requiredUuid(data.activityId, 'activityId');
  const customerId = optionalUuid(data.customerId, 'customerId');
  if (!customerId) return null;
  const kind = ACTIVITY_KINDS.includes(data.kind) ? data.kind : 'note';
  const occurredAt = requiredTime(data.occurredAt, 'occurredAt');
  const isContact = (CONTACT_KINDS as readonly string[]).includes(kind);
  const label = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
  return {
    tenantId,
    customerId,
    entry: {
      type: 'activity.logged',
      occurredAt,
      title: clip(data.subject ? `${label}: ${data.subject}` : label, 200),
      summary: data.notes ? clip(data.notes, 2000) : null,
      referenceId: activityId,
      actorId: optionalUuid(data.ownerId, 'ownerId'),
      payload: {
        kind,
        direction: data.direction,
        outcome: data.outcome,
        durationSeconds: data.durationSeconds,
        opportunityId: optionalUuid(data.opportunityId, 'opportunityId'),
        leadId: optionalUuid(data.leadId, 'leadId'),
      },
    },
    fact: isContact ? { kind: 'contact', refId: activityId, status: 'recorded', amountMicros: null, currency: null, score: null, occurredAt, version: 1n } : undefined,
  };
}
