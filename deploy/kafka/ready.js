'use strict';
// Waits until the broker can serve clients, not merely accept TCP connections: right after the
// port opens, metadata may lack a controller, topic creation may be refused, and the first
// consumer group would wait for __consumer_offsets to be created, and the first idempotent
// producer would be told to retry until the broker has a block of producer ids.
// kafka.sh start runs this.
//
// env: KAFKA_BROKERS, KAFKA_READY_TIMEOUT_MS (default 90000), KAFKA_PID (give up early if it dies)

const { randomUUID } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const timeoutMs = Number(process.env.KAFKA_READY_TIMEOUT_MS || 90000);
const pid = Number(process.env.KAFKA_PID || 0);

function brokerAlive() {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function probe(kafka) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.controller == null || cluster.brokers.length === 0) throw new Error('no active controller yet');
    // validateOnly goes through the controller without creating anything.
    await admin.createTopics({
      validateOnly: true,
      waitForLeaders: false,
      topics: [{ topic: `readiness-check-${randomUUID()}`, numPartitions: 1 }],
    });
    // Looking up a group coordinator makes the broker create __consumer_offsets now, so the
    // first real consumer group does not pay for it.
    await admin.describeGroups(['readiness-check']);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  // Connecting an idempotent producer asks for a producer id, which makes the broker fetch its
  // first id block from the controller.
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

async function main() {
  const kafka = new Kafka({
    clientId: 'kafka-sh-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
  const deadline = Date.now() + Math.max(timeoutMs, 1000);
  let lastError;
  while (Date.now() < deadline) {
    if (!brokerAlive()) {
      console.error(`kafka: broker process ${pid} exited while waiting for readiness`);
      return 1;
    }
    try {
      await probe(kafka);
      return 0;
    } catch (err) {
      lastError = err;
    }
    await sleep(500);
  }
  console.error(`kafka: not ready after ${timeoutMs} ms: ${lastError ? lastError.message : 'no attempt finished'}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
