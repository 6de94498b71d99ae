import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { CE_HEADERS, type EventEnvelope } from '../envelope';

/** CloudEvents binary mode: attributes in headers, the canonical JSON payload as the value. */
export function toKafkaMessage(envelope: EventEnvelope, extraHeaders: Record<string, string> = {}): Message {
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: '1.0',
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.subject]: envelope.subject,
    [CE_HEADERS.tenantId]: envelope.tenantId,
    [CE_HEADERS.contentType]: 'application/json',
    ...extraHeaders,
  };
  if (envelope.traceparent) headers[CE_HEADERS.traceparent] = envelope.traceparent;
  return { key: envelope.subject, value: envelope.data, headers };
}

function header(headers: IHeaders | undefined, name: string): string {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? '' : first.toString();
}

/**
 * Never throws: a message with missing or garbled attributes still becomes an envelope, and the
 * consumer decides it is poison and dead-letters it instead of crashing.
 */
export function fromKafkaMessage(topic: string, message: KafkaMessage): EventEnvelope {
  return {
    id: header(message.headers, CE_HEADERS.id),
    type: header(message.headers, CE_HEADERS.type),
    source: header(message.headers, CE_HEADERS.source),
    time: header(message.headers, CE_HEADERS.time),
    subject: header(message.headers, CE_HEADERS.subject) || (message.key?.toString() ?? ''),
    tenantId: header(message.headers, CE_HEADERS.tenantId),
    traceparent: header(message.headers, CE_HEADERS.traceparent) || undefined,
    topic,
    data: message.value?.toString() ?? '',
  };
}
