import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { currentContext } from '../database/request-context';
import type { EventEnvelope } from './envelope';

export const OUTBOX_CHANNEL = 'messaging_outbox';

export interface OutboxEvent {
  topic: string;
  type: string;
  /** Aggregate id: Kafka key and `ce_subject`. */
  subject: string;
  tenantId: string;
  /** Canonical JSON payload. */
  data: string;
  id?: string;
  traceparent?: string;
}

const COLUMNS = 8;

/**
 * Appends events to the outbox inside the caller's transaction: they exist if and only if the
 * business rows they describe were committed. NOTIFY is transactional too, so the relay wakes on commit.
 */
export async function appendToOutbox(manager: EntityManager, events: OutboxEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox needs an EntityManager inside a transaction (dataSource.transaction(...))');
  }
  const traceparent = currentContext()?.traceparent;
  const ids: string[] = [];
  const values: unknown[] = [];
  const rows: string[] = [];
  events.forEach((event, index) => {
    const id = event.id ?? randomUUID();
    ids.push(id);
    const base = index * COLUMNS;
    rows.push(`(${Array.from({ length: COLUMNS }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    values.push(id, event.topic, event.type, event.subject, event.tenantId, event.traceparent ?? traceparent ?? null, event.data, new Date());
  });
  await manager.query(
    `INSERT INTO messaging_outbox (event_id, topic, type, subject, tenant_id, traceparent, data, created_at) VALUES ${rows.join(', ')}`,
    values,
  );
  await manager.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  return ids;
}

export interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  type: string;
  subject: string;
  tenant_id: string;
  traceparent: string | null;
  data: string;
  created_at: Date;
}

export function envelopeFromOutboxRow(row: OutboxRow, source: string): EventEnvelope {
  return {
    id: row.event_id,
    type: row.type,
    source,
    time: row.created_at.toISOString(),
    subject: row.subject,
    tenantId: row.tenant_id,
    topic: row.topic,
    traceparent: row.traceparent ?? undefined,
    data: row.data,
  };
}
