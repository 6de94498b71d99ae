import type { SurveyAnswered, TicketOpened, TicketResolved, TicketStatusChanged } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/platform/messaging';
import { TICKET_STATUSES, type ProfileEvent } from '../profile-event';
import { assertSameTenant, clip, integerBetween, oneOf, optionalUuid, positiveVersion, requiredTime, requiredUuid } from './event-fields';

/*
 * Tickets whose contact matched no customer, and their surveys, are about nobody this service knows:
 * they are not recorded (null).
 */

export function fromTicketOpened(event: ReceivedEvent<TicketOpened>): ProfileEvent | null {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const ticketId = requiredUuid(data.ticketId, 'ticketId');
  const customerId = optionalUuid(data.customerId, 'customerId');
  if (!customerId) return null;
  const status = oneOf(data.status, TICKET_STATUSES, 'status');
  const openedAt = requiredTime(data.openedAt, 'openedAt');
  return {
    tenantId,
    customerId,
    entry: {
      type: 'ticket.opened',
      occurredAt: openedAt,
      title: clip(`Ticket ${data.ticketNumber || ticketId} opened: ${data.subject}`, 200),
      summary: null,
      referenceId: ticketId,
      actorId: null,
      payload: {
        ticketNumber: data.ticketNumber,
        subject: data.subject,
        channel: data.channel,
        type: data.type,
        priority: data.priority,
        status,
        teamId: optionalUuid(data.teamId, 'teamId'),
        assigneeId: optionalUuid(data.assigneeId, 'assigneeId'),
      },
    },
    fact: { kind: 'ticket', refId: ticketId, status, amountMicros: null, currency: null, score: null, occurredAt: openedAt, version: positiveVersion(data.version) },
  };
}

export function fromTicketStatusChanged(event: ReceivedEvent<TicketStatusChanged>): ProfileEvent | null {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const ticketId = requiredUuid(data.ticketId, 'ticketId');
  const customerId = optionalUuid(data.customerId, 'customerId');
  if (!customerId) return null;
  const status = oneOf(data.status, TICKET_STATUSES, 'status');
  const changedAt = requiredTime(data.changedAt, 'changedAt');
  return {
    tenantId,
    customerId,
    entry: {
      type: 'ticket.status_changed',
      occurredAt: changedAt,
      title: clip(`Ticket ${data.ticketNumber || ticketId}: ${data.previousStatus} → ${status}`, 200),
      summary: data.subject ? clip(data.subject, 300) : null,
      referenceId: ticketId,
      actorId: optionalUuid(data.changedBy, 'changedBy'),
      payload: { ticketNumber: data.ticketNumber, subject: data.subject, previousStatus: data.previousStatus, status, priority: data.priority },
    },
    fact: { kind: 'ticket', refId: ticketId, status, amountMicros: null, currency: null, score: null, occurredAt: changedAt, version: positiveVersion(data.version) },
  };
}

export function fromTicketResolved(event: ReceivedEvent<TicketResolved>): ProfileEvent | null {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const ticketId = requiredUuid(data.ticketId, 'ticketId');
  const customerId = optionalUuid(data.customerId, 'customerId');
  if (!customerId) return null;
  const resolvedAt = requiredTime(data.resolvedAt, 'resolvedAt');
  return {
    tenantId,
    customerId,
    entry: {
      type: 'ticket.resolved',
      occurredAt: resolvedAt,
      title: clip(`Ticket ${data.ticketNumber || ticketId} resolved: ${data.subject}`, 200),
      summary: data.resolution ? clip(data.resolution, 2000) : null,
      referenceId: ticketId,
      actorId: optionalUuid(data.resolvedBy, 'resolvedBy'),
      payload: {
        ticketNumber: data.ticketNumber,
        subject: data.subject,
        channel: data.channel,
        type: data.type,
        priority: data.priority,
        withinSla: data.withinSla,
        teamId: optionalUuid(data.teamId, 'teamId'),
      },
    },
    fact: { kind: 'ticket', refId: ticketId, status: 'resolved', amountMicros: null, currency: null, score: null, occurredAt: resolvedAt, version: positiveVersion(data.version) },
  };
}

export function fromSurveyAnswered(event: ReceivedEvent<SurveyAnswered>): ProfileEvent | null {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const surveyId = requiredUuid(data.surveyId, 'surveyId');
  const customerId = optionalUuid(data.customerId, 'customerId');
  if (!customerId) return null;
  const score = integerBetween(data.score, 1, 5, 'score');
  const answeredAt = requiredTime(data.answeredAt, 'answeredAt');
  return {
    tenantId,
    customerId,
    entry: {
      type: 'survey.answered',
      occurredAt: answeredAt,
      title: `CSAT ${score}/5 for ticket ${data.ticketNumber || data.ticketId}`,
      summary: data.comment ? clip(data.comment, 2000) : null,
      referenceId: surveyId,
      actorId: null,
      payload: { score, ticketId: optionalUuid(data.ticketId, 'ticketId'), ticketNumber: data.ticketNumber, agentId: optionalUuid(data.agentId, 'agentId'), ticketType: data.ticketType },
    },
    // One answer per survey: a later answer of the same survey (a correction) replaces it.
    fact: { kind: 'survey', refId: surveyId, status: 'answered', amountMicros: null, currency: null, score, occurredAt: answeredAt, version: BigInt(answeredAt.getTime()) },
  };
}
