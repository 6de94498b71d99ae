import type { Kafka, Producer } from 'kafkajs';
import { deadLetterTopic, DLQ_HEADERS } from '../envelope';
import type { DeadLetterRecord, DeadLetterStore } from '../dead-letter';
import type { Delivery } from '../transport';
import { fromKafkaMessage, toKafkaMessage } from './cloudevents';

/** Poison messages of one consumer group go to `<topic>.dlq.<group>` with the failure in headers. */
export class KafkaDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly group: string,
    private readonly topics: string[],
  ) {}

  async put({ delivery, error, attempts }: DeadLetterRecord): Promise<void> {
    const { envelope, position } = delivery;
    const headers: Record<string, string> = {
      [DLQ_HEADERS.error]: error.message.slice(0, 4000),
      [DLQ_HEADERS.errorName]: error.name,
      [DLQ_HEADERS.group]: this.group,
      [DLQ_HEADERS.originalTopic]: envelope.topic,
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    if (position) {
      headers[DLQ_HEADERS.originalPartition] = String(position.partition);
      headers[DLQ_HEADERS.originalOffset] = position.offset;
    }
    await this.producer.send({ topic: deadLetterTopic(envelope.topic, this.group), acks: -1, messages: [toKafkaMessage(envelope, headers)] });
  }

  /**
   * Reads each DLQ topic up to the end it had when replay started (a letter that fails again lands
   * after that end, so replay terminates), with its own consumer group so progress is remembered.
   */
  async replay(redeliver: (delivery: Delivery) => Promise<void>, options: { topic?: string } = {}): Promise<{ replayed: number }> {
    const admin = this.kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const sourceTopics = options.topic ? [options.topic] : this.topics;
    const dlqTopics = sourceTopics.map((topic) => deadLetterTopic(topic, this.group)).filter((topic) => existing.has(topic));
    const remaining = new Map<string, bigint>();
    const replayGroup = `${this.group}.dlq-replay`;
    for (const topic of dlqTopics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const committed = await admin.fetchOffsets({ groupId: replayGroup, topics: [topic] });
      for (const { partition, high, low } of ends) {
        const done = committed[0]?.partitions.find((p) => p.partition === partition)?.offset;
        const start = done && Number(done) >= 0 ? BigInt(done) : BigInt(low);
        if (BigInt(high) > start) remaining.set(`${topic}:${partition}`, BigInt(high));
      }
    }
    await admin.disconnect();
    if (remaining.size === 0) return { replayed: 0 };

    let replayed = 0;
    const consumer = this.kafka.consumer({ groupId: replayGroup, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: dlqTopics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}:${partition}`;
            const end = remaining.get(key);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const original = message.headers?.[DLQ_HEADERS.originalTopic]?.toString() ?? topic;
            await redeliver({ envelope: fromKafkaMessage(original, message) });
            replayed++;
            const next = BigInt(message.offset) + 1n;
            await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
            if (next >= end) remaining.delete(key);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return { replayed };
  }
}
