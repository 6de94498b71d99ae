/**
 * One event on the wire. Kafka carries it in CloudEvents binary mode: the attributes below become
 * `ce_*` headers and `data` (proto3 canonical JSON) is the value.
 */
export interface EventEnvelope {
  /** `ce_id`: unique per event, the inbox key. */
  id: string;
  /** `ce_type`, e.g. `crm.sales.opportunity.stage_changed.v1`. */
  type: string;
  /** `ce_source`, e.g. `crm/sales`. */
  source: string;
  /** `ce_time`, ISO 8601 UTC. */
  time: string;
  /** `ce_subject`: the aggregate id, also the Kafka key so one aggregate's events stay ordered. */
  subject: string;
  /** `ce_tenantid`. */
  tenantId: string;
  topic: string;
  traceparent?: string;
  /** The payload as proto3 canonical JSON text. */
  data: string;
}

/** An event as delivered to a handler, with its payload parsed. */
export interface ReceivedEvent<T = unknown> extends Omit<EventEnvelope, 'data'> {
  data: T;
  /** Delivery attempt for this process, starting at 1. */
  attempt: number;
}

export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  tenantId: 'ce_tenantid',
  specversion: 'ce_specversion',
  traceparent: 'traceparent',
  contentType: 'content-type',
} as const;

export const DLQ_HEADERS = {
  error: 'dlq_error',
  errorName: 'dlq_error_name',
  group: 'dlq_group',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

export function deadLetterTopic(topic: string, group: string): string {
  return `${topic}.dlq.${group}`;
}
