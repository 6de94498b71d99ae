'use strict';
// End-to-end check of a broker: produce one event the way services do (idempotent producer,
// acks=all, CloudEvents headers) and read it back through a fresh consumer group.
//
// env: KAFKA_BROKERS (default 127.0.0.1:9092), SMOKE_TOPIC (default platform.probe.v1),
//      SMOKE_TIMEOUT_MS (default 30000)

const { randomUUID } = require('node:crypto');
const timers = require('node:timers');
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
const topic = process.env.SMOKE_TOPIC || 'platform.probe.v1';
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS || 30000);

async function main() {
  const started = Date.now();
  const kafka = new Kafka({ clientId: 'kafka-smoke', brokers, logLevel: logLevel.WARN });

  // With auto-creation on, producing to a missing topic would silently create it with one partition.
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  if (!topics.includes(topic)) throw new Error(`topic ${topic} does not exist; run kafka.sh topics first`);

  const id = randomUUID();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const [meta] = await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: id,
        value: JSON.stringify({ tenantId: '00000000-0000-0000-0000-000000000000', probeId: id }),
        headers: {
          ce_id: id,
          ce_type: 'crm.platform.probe.v1',
          ce_source: 'deploy/kafka/smoke',
          ce_time: new Date().toISOString(),
          ce_subject: id,
          'content-type': 'application/json',
        },
      },
    ],
  });
  await producer.disconnect();
  const produced = Date.now();
  console.log(`smoke: produced ${id} to ${topic}[${meta.partition}] at offset ${meta.baseOffset}`);

  const consumer = kafka.consumer({ groupId: `kafka-smoke-${id}` });
  let timer;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise((resolve, reject) => {
      timer = timers.setTimeout(() => reject(new Error(`did not consume ${id} within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (message.headers.ce_id?.toString() !== id) return;
            const body = JSON.parse(message.value.toString());
            if (body.probeId !== id) reject(new Error('consumed payload does not match what was produced'));
            console.log(`smoke: consumed ${id} from ${topic}[${partition}] at offset ${message.offset}`);
            resolve();
          },
        })
        .catch(reject);
      // Start right at the produced message instead of scanning what earlier runs left in the topic.
      consumer.seek({ topic, partition: meta.partition, offset: meta.baseOffset });
    });
  } finally {
    timers.clearTimeout(timer);
    await consumer.disconnect();
  }
  console.log(`smoke: ok (produce ${produced - started} ms, consume ${Date.now() - produced} ms)`);
}

main().catch((err) => {
  console.error(`smoke: failed: ${err.message}`);
  process.exit(1);
});
