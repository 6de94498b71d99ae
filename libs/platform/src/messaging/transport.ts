import type { DataSource } from 'typeorm';
import type { DeadLetterStore } from './dead-letter';
import type { EventEnvelope } from './envelope';

/** A raw delivery from a transport; the consumer runtime parses, deduplicates, retries and dead-letters it. */
export interface Delivery {
  envelope: EventEnvelope;
  /** Where it came from, for DLQ headers (Kafka partition/offset; absent in-process). */
  position?: { partition: number; offset: string };
}

export interface Subscription {
  /** Consumer group: the consuming service's name. */
  group: string;
  topics: string[];
  /**
   * Handles deliveries (in order) to completion: for each, the effects and the inbox row are
   * committed, or the delivery has been dead-lettered. Rejects only when consuming must stop
   * (e.g. the database is unreachable): the transport then redelivers from the last committed offset.
   */
  deliver(deliveries: Delivery[]): Promise<void>;
}

export interface TransportHealth {
  status: 'up' | 'down';
  details?: Record<string, unknown>;
}

/**
 * Moves envelopes between services. Kafka in production and CI; in-process in the embedded single-process mode.
 * `publish` resolves only when the envelopes are durable (Kafka: acknowledged by all in-sync replicas;
 * in-process: every subscriber has committed), so the relay may then mark its outbox rows sent.
 */
export interface EventTransport {
  readonly kind: 'kafka' | 'in-process';
  start(): Promise<void>;
  stop(): Promise<void>;
  publish(envelopes: EventEnvelope[]): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /** Stops delivering to this group (graceful shutdown drains in-flight deliveries first). */
  unsubscribe(group: string): Promise<void>;
  health(): Promise<TransportHealth>;
  /** Where a consumer group's poison messages go, and how they are replayed. */
  deadLetters(group: string, topics: string[], dataSource: DataSource): DeadLetterStore;
}
