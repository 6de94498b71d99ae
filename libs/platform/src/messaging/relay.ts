import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';
import type { EventEnvelope } from './envelope';
import { messagingMetrics } from './metrics';
import { envelopeFromOutboxRow, OUTBOX_CHANNEL, type OutboxRow } from './outbox';
import type { EventTransport } from './transport';

export interface RelayOptions {
  serviceName: string;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (e.g. rows written by another process). */
  pollIntervalMs?: number;
  /** How often a standby relay retries the lock. */
  lockRetryMs?: number;
  /** Sent rows are kept this long for diagnosis, then pruned. */
  retentionMs?: number;
  /** Test seam: runs after the transport accepted a batch and before the rows are marked sent. */
  afterPublish?: (envelopes: EventEnvelope[]) => Promise<void> | void;
}

/** Same key in every service database: the lock is per database, so one relay per service. */
const RELAY_LOCK_KEY = 'crm.messaging.outbox-relay';
const MAX_BACKOFF_MS = 5_000;
const PRUNE_EVERY_MS = 60_000;
const LAG_SAMPLE_EVERY_MS = 5_000;
/** Longer than any topic's retention, so a redelivered event always finds its inbox row. */
const INBOX_RETENTION_DAYS = 35;

/**
 * Publishes outbox rows in id order and marks them sent. Exactly one relay per service is active,
 * guarded by a session-level Postgres advisory lock; the others wait on standby. A crash after
 * publishing and before marking sent republishes the batch on restart: consumers deduplicate (inbox).
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: Required<Omit<RelayOptions, 'afterPublish'>> & Pick<RelayOptions, 'afterPublish'>;
  private running = false;
  private loop?: Promise<void>;
  private lockConnection?: QueryRunner;
  private wake?: () => void;
  private pendingWake = false;
  private lastPrune = 0;
  private lastLagSample = 0;
  private state: 'stopped' | 'standby' | 'active' | 'failing' = 'stopped';
  private lastError?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: EventTransport,
    options: RelayOptions,
  ) {
    this.options = { batchSize: 500, pollIntervalMs: 1_000, lockRetryMs: 2_000, retentionMs: 24 * 3600_000, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp();
    await this.loop;
    await this.releaseLock();
    this.state = 'stopped';
  }

  status(): { state: string; lastError?: string } {
    return { state: this.state, lastError: this.lastError };
  }

  /** Unsent rows and the age of the oldest; also feeds the outbox lag metrics. */
  async lag(): Promise<{ pending: number; oldestSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float AS oldest
         FROM messaging_outbox WHERE sent_at IS NULL`,
    );
    messagingMetrics.outboxPending.set({ service: this.options.serviceName }, row.pending);
    messagingMetrics.outboxLag.set({ service: this.options.serviceName }, row.oldest);
    return { pending: row.pending, oldestSeconds: row.oldest };
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const connection = this.lockConnection ?? (await this.acquireLock());
        if (!connection) {
          this.state = 'standby';
          await this.pause(this.options.lockRetryMs);
          continue;
        }
        this.state = 'active';
        const published = await this.relayBatch(connection);
        backoff = 100;
        this.lastError = undefined;
        if (published < this.options.batchSize) {
          await this.maybeHousekeep();
          await this.sleep(this.options.pollIntervalMs);
        }
      } catch (error) {
        this.state = 'failing';
        this.lastError = (error as Error).message;
        this.logger.warn(`outbox relay of ${this.options.serviceName} failed, retrying in ${backoff} ms: ${this.lastError}`);
        if (!(await this.lockStillHeld())) await this.releaseLock();
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Runs on the lock connection: no pool checkout per cycle, and its session settings apply. */
  private async relayBatch(connection: QueryRunner): Promise<number> {
    const rows: OutboxRow[] = await connection.query(
      `SELECT id, event_id, topic, type, subject, tenant_id, traceparent, data, created_at
         FROM messaging_outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1`,
      [this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    const source = `crm/${this.options.serviceName}`;
    const envelopes = rows.map((row) => envelopeFromOutboxRow(row, source));
    await this.transport.publish(envelopes);
    await this.options.afterPublish?.(envelopes);
    await connection.query(`UPDATE messaging_outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    for (const envelope of envelopes) messagingMetrics.published.inc({ service: this.options.serviceName, topic: envelope.topic });
    return rows.length;
  }

  /** The lock connection when this relay became the active one, else undefined (standby). */
  private async acquireLock(): Promise<QueryRunner | undefined> {
    const connection = this.dataSource.createQueryRunner();
    try {
      await connection.connect();
      const [row] = await connection.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [RELAY_LOCK_KEY]);
      if (!row.locked) {
        await connection.release();
        return undefined;
      }
      // The lock connection doubles as the LISTEN connection so a commit wakes the relay at once.
      const client = (connection as unknown as { databaseConnection: NotificationClient }).databaseConnection;
      client.on('notification', this.onNotification);
      await connection.query(`LISTEN ${OUTBOX_CHANNEL}`);
      // Marking rows sent need not wait for the WAL flush: a mark lost in a crash only republishes
      // the batch, which consumers deduplicate, and it halves the relay's time per cycle.
      await connection.query(`SET synchronous_commit TO off`);
      this.lockConnection = connection;
      this.logger.log(`outbox relay of ${this.options.serviceName} is active`);
      return connection;
    } catch (error) {
      await connection.release().catch(() => undefined);
      throw error;
    }
  }

  private async lockStillHeld(): Promise<boolean> {
    if (!this.lockConnection) return false;
    try {
      await this.lockConnection.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    if (!connection) return;
    const client = (connection as unknown as { databaseConnection?: NotificationClient }).databaseConnection;
    client?.removeListener('notification', this.onNotification);
    try {
      await connection.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
      await connection.query(`SELECT pg_advisory_unlock(hashtext($1))`, [RELAY_LOCK_KEY]);
    } catch {
      // A broken connection has already dropped its lock and listeners.
    }
    await connection.release().catch(() => undefined);
  }

  /** Keeps the lag gauges fresh for /metrics, and prunes sent rows and old inbox entries. */
  private async maybeHousekeep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastLagSample >= LAG_SAMPLE_EVERY_MS) {
      this.lastLagSample = now;
      await this.lag();
    }
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.dataSource.query(`DELETE FROM messaging_inbox WHERE processed_at < now() - interval '${INBOX_RETENTION_DAYS} days'`);
    await this.dataSource.query(
      `DELETE FROM messaging_outbox WHERE id IN (
         SELECT id FROM messaging_outbox WHERE sent_at IS NOT NULL AND sent_at < now() - ($1::bigint * interval '1 millisecond') LIMIT 10000)`,
      [this.options.retentionMs],
    );
  }

  private readonly onNotification = (): void => this.wakeUp();

  private wakeUp(): void {
    if (this.wake) this.wake();
    else this.pendingWake = true;
  }

  /** A wait that only stop() cuts short (backoff must not be skipped by notifications). */
  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.running && Date.now() < until) {
      this.pendingWake = false;
      await this.sleep(Math.min(200, until - Date.now()));
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

interface NotificationClient {
  on(event: 'notification', listener: () => void): void;
  removeListener(event: 'notification', listener: () => void): void;
}
