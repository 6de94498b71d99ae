import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { runWithContext } from '../database/request-context';
import { describeError, PoisonMessageError, type DeadLetterStore } from './dead-letter';
import type { ReceivedEvent } from './envelope';
import { indexHandlers, type HandlerRegistration } from './handler-registry';
import { messagingMetrics } from './metrics';
import type { Delivery, Subscription } from './transport';

export interface ConsumerOptions {
  group: string;
  dataSource: DataSource;
  handlers: HandlerRegistration[];
  deadLetters: DeadLetterStore;
  /** Attempts per delivery before it is dead-lettered (transient errors only). */
  maxAttempts?: number;
  /** First retry delay; each further retry waits four times longer. */
  retryBackoffMs?: number;
  /** Test seam: runs after effects are committed, before the transport may commit offsets. */
  afterCommit?: (deliveries: Delivery[]) => Promise<void> | void;
}

type Work = { delivery: Delivery; handler: HandlerRegistration; data: unknown };

/**
 * Applies events idempotently: each event's effects and its inbox row `(group, event id)` commit in
 * one transaction, so a redelivered event is skipped. A batch is first tried in one transaction (fast
 * path); if anything in it fails, the batch is replayed one event at a time to isolate the culprit,
 * which is retried with backoff and then dead-lettered while the rest goes on.
 */
export class EventConsumer implements Subscription {
  readonly group: string;
  readonly topics: string[];
  private readonly logger = new Logger(EventConsumer.name);
  private readonly handlers: Map<string, HandlerRegistration>;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;

  constructor(private readonly options: ConsumerOptions) {
    this.group = options.group;
    this.handlers = indexHandlers(options.handlers);
    this.topics = [...new Set(options.handlers.map((handler) => handler.topic))];
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  async deliver(deliveries: Delivery[]): Promise<void> {
    const relevant = deliveries.filter((delivery) => this.handlerOf(delivery));
    if (relevant.length > 1 && (await this.tryBatch(relevant))) {
      await this.options.afterCommit?.(deliveries);
      return;
    }
    for (const delivery of relevant) await this.deliverOne(delivery);
    await this.options.afterCommit?.(deliveries);
  }

  /** Re-runs a dead letter through the normal path (inbox dedup included). */
  redeliver = async (delivery: Delivery): Promise<void> => {
    if (this.handlerOf(delivery)) await this.deliverOne(delivery);
  };

  private handlerOf(delivery: Delivery): HandlerRegistration | undefined {
    return this.handlers.get(`${delivery.envelope.topic}|${delivery.envelope.type}`);
  }

  private async tryBatch(deliveries: Delivery[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    try {
      const work = deliveries.map((delivery) => this.prepare(delivery));
      await this.options.dataSource.transaction(async (manager) => {
        const fresh = await this.recordInInbox(manager, work.map((item) => item.delivery.envelope.id));
        // delete() also drops an id delivered twice within the same batch after its first application.
        await this.applyAll(manager, work.filter((item) => fresh.delete(item.delivery.envelope.id)), 1);
      });
    } catch {
      return false;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / deliveries.length;
    for (const { envelope } of deliveries) {
      messagingMetrics.handlerDuration.observe({ group: this.group, topic: envelope.topic }, seconds);
      messagingMetrics.handled.inc({ group: this.group, topic: envelope.topic, outcome: 'applied' });
    }
    return true;
  }

  private async deliverOne(delivery: Delivery): Promise<void> {
    const topic = delivery.envelope.topic;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        const item = this.prepare(delivery);
        const applied = await this.options.dataSource.transaction(async (manager) => {
          const fresh = await this.recordInInbox(manager, [delivery.envelope.id]);
          if (fresh.size === 0) return false;
          await this.applyAll(manager, [item], attempt);
          return true;
        });
        messagingMetrics.handlerDuration.observe({ group: this.group, topic }, Number(process.hrtime.bigint() - started) / 1e9);
        messagingMetrics.handled.inc({ group: this.group, topic, outcome: applied ? 'applied' : 'duplicate' });
        return;
      } catch (thrown) {
        const error = describeError(thrown);
        const poison = error instanceof PoisonMessageError;
        if (!poison && attempt < this.maxAttempts) {
          this.logger.warn(`${this.group}: ${delivery.envelope.type} ${delivery.envelope.id} failed (attempt ${attempt}), retrying: ${error.message}`);
          await delay(this.retryBackoffMs * 4 ** (attempt - 1));
          continue;
        }
        await this.assertDatabaseReachable(error);
        this.logger.error(`${this.group}: ${delivery.envelope.type} ${delivery.envelope.id} dead-lettered after ${attempt} attempt(s): ${error.message}`);
        await this.options.deadLetters.put({ group: this.group, delivery, error, attempts: attempt });
        messagingMetrics.deadLettered.inc({ group: this.group, topic });
        messagingMetrics.handled.inc({ group: this.group, topic, outcome: 'dead_lettered' });
        return;
      }
    }
  }

  /** Payload problems are poison, found before any transaction starts. */
  private prepare(delivery: Delivery): Work {
    const handler = this.handlerOf(delivery)!;
    const { envelope } = delivery;
    if (!envelope.id || !/^[0-9a-f-]{36}$/i.test(envelope.id)) throw new PoisonMessageError(`event id "${envelope.id}" is not a uuid`);
    if (!envelope.tenantId) throw new PoisonMessageError('event carries no tenant id');
    return { delivery, handler, data: handler.decode(envelope.data) };
  }

  private async recordInInbox(manager: EntityManager, eventIds: string[]): Promise<Set<string>> {
    const rows: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO messaging_inbox (consumer_group, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.group, eventIds],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Runs handlers in delivery order; consecutive events for one batch handler go to it together. */
  private async applyAll(manager: EntityManager, work: Work[], attempt: number): Promise<void> {
    for (let start = 0; start < work.length; ) {
      const { handler } = work[start];
      if (handler.handleBatch) {
        let end = start + 1;
        while (end < work.length && work[end].handler === handler) end++;
        const events = work.slice(start, end).map((item) => this.received(item, attempt));
        await runWithContext({ requestId: events[0].id, roles: ['system'], teamIds: [] }, () => handler.handleBatch!(events, manager));
        start = end;
        continue;
      }
      const event = this.received(work[start], attempt);
      await runWithContext(
        { requestId: event.id, tenantId: event.tenantId, traceparent: event.traceparent, roles: ['system'], teamIds: [] },
        () => handler.handle!(event, manager),
      );
      start++;
    }
  }

  private received({ delivery, data }: Work, attempt: number): ReceivedEvent {
    return { ...delivery.envelope, data, attempt };
  }

  /** A database outage is not the message's fault: stop and let the transport redeliver later. */
  private async assertDatabaseReachable(cause: Error): Promise<void> {
    try {
      await this.options.dataSource.query('SELECT 1');
    } catch {
      throw new Error(`${this.group}: database unreachable, not dead-lettering (${cause.message})`);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
