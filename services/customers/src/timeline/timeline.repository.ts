import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { fetchPage, type Page } from '@crm/platform/api';
import { TenantScopedRepository } from '@crm/platform/database';
import { TimelineEntryEntity } from './timeline-entry.entity';
import { neutralTitle, TIMELINE_TYPES, type TimelineType } from './timeline-types';

/** An entry to add; `id` is the id of the event it records. */
export interface NewTimelineEntry {
  id: string;
  tenantId: string;
  customerId: string;
  eventCustomerId: string;
  occurredAt: Date;
  type: TimelineType;
  title: string;
  summary: string | null;
  referenceId: string | null;
  actorId: string | null;
  payload: Record<string, unknown>;
}

export interface TimelineFilter {
  types?: readonly TimelineType[];
  from?: Date;
  to?: Date;
}

export interface Paging {
  limit: number;
  cursor?: string;
  total?: boolean;
}

@Injectable()
export class TimelineRepository extends TenantScopedRepository<TimelineEntryEntity> {
  constructor() {
    super(TimelineEntryEntity);
  }

  /** Adds entries in one statement; an entry whose event was recorded before is left as it is. */
  async add(manager: EntityManager, entries: readonly NewTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({
      id: entry.id,
      tenant_id: entry.tenantId,
      customer_id: entry.customerId,
      event_customer_id: entry.eventCustomerId,
      occurred_at: entry.occurredAt.toISOString(),
      type: entry.type,
      source: TIMELINE_TYPES[entry.type],
      title: entry.title,
      summary: entry.summary,
      reference_id: entry.referenceId,
      actor_id: entry.actorId,
      payload: entry.payload,
    }));
    await manager.query(
      `INSERT INTO customer_timeline (id, tenant_id, customer_id, event_customer_id, occurred_at, type, source, title, summary, reference_id, actor_id, payload)
       SELECT r.id, r.tenant_id, r.customer_id, r.event_customer_id, r.occurred_at, r.type, r.source, r.title, r.summary, r.reference_id, r.actor_id, r.payload
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, tenant_id uuid, customer_id uuid, event_customer_id uuid, occurred_at timestamptz, type text,
                                                source text, title text, summary text, reference_id uuid, actor_id uuid, payload jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Newest first. The (tenant, customer, occurred_at, id) index serves the plain list and the time
   * range; with a type filter the (tenant, customer, type, occurred_at, id) one does.
   */
  page(manager: EntityManager, customerId: string, filter: TimelineFilter, paging: Paging): Promise<Page<TimelineEntryEntity>> {
    const qb = this.query(manager, 't').andWhere('t.customerId = :customerId', { customerId });
    if (filter.types && filter.types.length > 0) qb.andWhere('t.type IN (:...types)', { types: [...filter.types] });
    if (filter.from) qb.andWhere('t.occurredAt >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('t.occurredAt < :to', { to: filter.to });
    return fetchPage(qb, { timeColumn: 't.occurredAt', idColumn: 't.id', direction: 'DESC', ...paging }, (entry) => ({ at: entry.occurredAt, id: entry.id }));
  }

  /** Every entry about the customer (its own and those its events named), oldest first. */
  ofCustomer(manager: EntityManager, tenantId: string, customerId: string): Promise<TimelineEntryEntity[]> {
    return this.repository(manager)
      .createQueryBuilder('t')
      .where('t.tenantId = :tenantId', { tenantId })
      .andWhere('(t.customerId = :customerId OR t.eventCustomerId = :customerId)', { customerId })
      .orderBy('t.occurredAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
  }

  /**
   * Removes the personal text of every entry about the customer: the title becomes what happened
   * ("Order placed"), summary and payload go. Type, time and reference stay, so the history (and the
   * figures built from it) keeps its shape. Returns how many entries changed.
   */
  async anonymise(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const rows: Array<{ id: string; type: string }> = await manager.query(
      `SELECT id, type FROM customer_timeline
        WHERE tenant_id = $1 AND (customer_id = $2 OR (event_customer_id = $2 AND event_customer_id <> customer_id))`,
      [tenantId, customerId],
    );
    if (rows.length === 0) return 0;
    const titles = rows.map((row) => ({ id: row.id, title: neutralTitle(row.type) }));
    const [, count] = (await manager.query(
      `UPDATE customer_timeline t SET title = r.title, summary = NULL, payload = '{}'
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, title text)
        WHERE t.tenant_id = $1 AND t.id = r.id AND (t.title <> r.title OR t.summary IS NOT NULL OR t.payload <> '{}')`,
      [tenantId, JSON.stringify(titles)],
    )) as [unknown, number];
    return count;
  }
}
