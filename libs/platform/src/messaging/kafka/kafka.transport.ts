import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type LogEntry, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import { messagingMetrics } from '../metrics';
import type { Delivery, EventTransport, Subscription, TransportHealth } from '../transport';
import { fromKafkaMessage, toKafkaMessage } from './cloudevents';
import { KafkaDeadLetterStore } from './kafka-dead-letter.store';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of one group processed at the same time (order is kept within a partition). */
  partitionsConsumedConcurrently?: number;
  /** Deliveries handed to the consumer runtime at once; also one transaction on the fast path. */
  deliveryChunkSize?: number;
}

const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Kafka transport: idempotent producer with acks=all and one request in flight (per-key order
 * survives retries), consumers with manual offset commits made only after the database commit.
 * This is the only file in the codebase that talks to the Kafka client.
 */
export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  private readonly logger = new Logger(KafkaTransport.name);
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumers = new Map<string, { consumer: Consumer; subscription: Subscription }>();
  private admin?: Admin;
  private started = false;

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.log(entry),
      retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 12 },
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.producer.connect();
    this.started = true;
  }

  async stop(): Promise<void> {
    for (const group of [...this.consumers.keys()]) await this.unsubscribe(group);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
    if (this.started) await this.producer.disconnect();
    this.started = false;
  }

  async publish(envelopes: EventEnvelope[]): Promise<void> {
    const byTopic = new Map<string, EventEnvelope[]>();
    for (const envelope of envelopes) {
      const list = byTopic.get(envelope.topic) ?? [];
      list.push(envelope);
      byTopic.set(envelope.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map((envelope) => toKafkaMessage(envelope)) })),
    });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.consumers.has(subscription.group)) throw new Error(`consumer group ${subscription.group} is already subscribed`);
    const consumer = this.kafka.consumer({
      groupId: subscription.group,
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: true,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 10 },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: subscription.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.consumeBatch(consumer, subscription, payload),
    });
    this.consumers.set(subscription.group, { consumer, subscription });
  }

  async unsubscribe(group: string): Promise<void> {
    const entry = this.consumers.get(group);
    if (!entry) return;
    this.consumers.delete(group);
    // disconnect() waits for the batch in progress, so nothing is cut off between commit and offset.
    await entry.consumer.disconnect();
  }

  async health(): Promise<TransportHealth> {
    try {
      this.admin ??= this.kafka.admin();
      const cluster = await withTimeout(
        (async () => {
          await this.admin!.connect();
          return this.admin!.describeCluster();
        })(),
        HEALTH_TIMEOUT_MS,
      );
      return { status: 'up', details: { transport: this.kind, brokers: cluster.brokers.length, groups: [...this.consumers.keys()] } };
    } catch (error) {
      return { status: 'down', details: { transport: this.kind, error: (error as Error).message } };
    }
  }

  deadLetters(group: string, topics: string[], _dataSource: DataSource): KafkaDeadLetterStore {
    return new KafkaDeadLetterStore(this.kafka, this.producer, group, topics);
  }

  private async consumeBatch(consumer: Consumer, subscription: Subscription, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    messagingMetrics.consumerLag.set({ group: subscription.group, topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    const chunkSize = this.options.deliveryChunkSize ?? 200;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      const deliveries: Delivery[] = chunk.map((message) => ({
        envelope: fromKafkaMessage(batch.topic, message),
        position: { partition: batch.partition, offset: message.offset },
      }));
      await subscription.deliver(deliveries);
      const next = (BigInt(chunk[chunk.length - 1].offset) + 1n).toString();
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      payload.resolveOffset(chunk[chunk.length - 1].offset);
      await heartbeat();
    }
  }

  private log(entry: LogEntry): void {
    const { message, ...extra } = entry.log;
    const text = `kafka ${entry.namespace}: ${message} ${JSON.stringify(extra)}`;
    if (entry.level <= logLevel.ERROR) this.logger.error(text);
    else this.logger.warn(text);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
