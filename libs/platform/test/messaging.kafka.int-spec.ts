import { randomUUID } from 'node:crypto';
import { describeWithKafka, startKafkaForTests, type KafkaForTests } from '@crm/testing';
import { Kafka, logLevel } from 'kafkajs';
import { deadLetterTopic, DLQ_HEADERS, KafkaTransport } from '../src/messaging';
import { messagingContract, type DeadLetterSeen } from './messaging-contract';

jest.setTimeout(180_000);

describeWithKafka('messaging contract on Kafka', () => {
  let kafka: KafkaForTests;
  let client: Kafka;

  beforeAll(async () => {
    kafka = await startKafkaForTests();
    client = new Kafka({ clientId: 'messaging-contract', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await kafka?.stop();
  });

  async function readDeadLetters(group: string, topic: string): Promise<DeadLetterSeen[]> {
    const dlq = deadLetterTopic(topic, group);
    const admin = client.admin();
    await admin.connect();
    const exists = (await admin.listTopics()).includes(dlq);
    const offsets = exists ? await admin.fetchTopicOffsets(dlq) : [];
    await admin.disconnect();
    const total = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    if (total === 0) return [];
    const letters: DeadLetterSeen[] = [];
    const reader = client.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void reader.run({
        eachMessage: async ({ message }) => {
          letters.push({ eventId: message.headers?.ce_id?.toString() ?? '', error: message.headers?.[DLQ_HEADERS.error]?.toString() ?? '' });
          if (letters.length >= total) resolve();
        },
      });
    });
    await reader.disconnect();
    return letters;
  }

  messagingContract(() => ({
    transportFor: (serviceName) => new KafkaTransport({ brokers: kafka.brokers, clientId: `contract-${serviceName}` }),
    async prepareTopic(topic) {
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await admin.disconnect();
    },
    deadLetters: (group, topic) => readDeadLetters(group, topic),
    restartBroker: kafka.restart,
  }));
});
