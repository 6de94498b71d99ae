import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ProbeRecordedEvent, ProbeRecordedSchema } from '@crm/contracts';
import { batchHandlerFor, InProcessTransport, KafkaTransport, MessagingRuntime, type EventContractRef, type EventTransport } from '@crm/platform/messaging';
import { createMigratedDataSource } from '@crm/testing';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { benchPostgres } from './bench-database';
import { percentile, printFigure, round } from './figures';

type Contract = EventContractRef<typeof ProbeRecordedSchema>;

const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const LATENCY_RATE = 1_000;
const WRITE_BATCH = 500;
const PARTITIONS = 6;

interface Transports {
  name: 'kafka' | 'in-process';
  producer: EventTransport;
  consumer: EventTransport;
  prepare(topic: string): Promise<void>;
}

/**
 * outbox → transport → inbox handler, on a real Postgres: sustained throughput with a backlog, then
 * end-to-end latency (write time to handler) at a steady 1,000 events/s.
 */
export async function runEventsBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  const postgres = await benchPostgres();
  try {
    const shared = new InProcessTransport();
    await measure({ name: 'in-process', producer: shared, consumer: shared, prepare: async () => undefined }, postgres.label);
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    if (brokers.length === 0) {
      printFigure({ bench: 'events', transport: 'kafka', skipped: 'KAFKA_BROKERS is not set (npm run kafka:start, then KAFKA_BROKERS=127.0.0.1:9092)' });
    } else {
      const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
      await measure(
        {
          name: 'kafka',
          producer: new KafkaTransport({ brokers, clientId: 'bench-producer' }),
          consumer: new KafkaTransport({ brokers, clientId: 'bench-consumer', partitionsConsumedConcurrently: PARTITIONS, deliveryChunkSize: 500 }),
          async prepare(topic) {
            await admin.connect();
            await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
            await admin.disconnect();
          },
        },
        postgres.label,
      );
    }
  } finally {
    await postgres.stop();
  }
}

async function measure(transports: Transports, postgres: string): Promise<void> {
  const producerDb = await createMigratedDataSource('bench_producer', { poolSize: 8 });
  const consumerDb = await createMigratedDataSource('bench_consumer', { poolSize: 12 });
  const contract: Contract = { ...ProbeRecordedEvent, topic: `bench.probe_${randomUUID().slice(0, 8)}.v1` };
  await transports.prepare(contract.topic);
  await consumerDb.dataSource.query(`CREATE TABLE bench_effect (probe_id text NOT NULL, sequence bigint NOT NULL)`);

  // Latency runs from the producer's commit (when the event exists) to the handler's call; the
  // handler can run before the writer's continuation, so both ends are stamped and paired at the end.
  const committedAt = new Map<number, number>();
  const handledAt = new Map<number, number>();
  const sinceWriteStart: number[] = [];
  let consumed = 0;
  let recordLatency = false;
  // A set-based projection, as read models fed by busy topics are written.
  const handler = batchHandlerFor(contract, async (events, manager) => {
    await manager.query(`INSERT INTO bench_effect (probe_id, sequence) SELECT * FROM unnest($1::text[], $2::bigint[])`, [
      events.map((event) => event.data.probeId),
      events.map((event) => event.data.sequence.toString()),
    ]);
    const now = Date.now();
    if (recordLatency) {
      for (const event of events) {
        handledAt.set(Number(event.data.sequence), now);
        if (event.data.sentAt) sinceWriteStart.push(now - timestampDate(event.data.sentAt).getTime());
      }
    }
    consumed += events.length;
  });
  const producer = new MessagingRuntime({ serviceName: 'bench-producer', dataSource: producerDb.dataSource, transport: transports.producer, ownsTransport: true, relay: { batchSize: 1_000 } });
  const consumer = new MessagingRuntime({ serviceName: 'bench-consumer', dataSource: consumerDb.dataSource, transport: transports.consumer, ownsTransport: true, handlers: [handler] });
  await consumer.start();
  await producer.start();

  const write = (probeId: string, from: number, count: number) =>
    producerDb.dataSource.transaction((manager) =>
      producer.eventBus.publishMany(
        manager,
        contract,
        Array.from({ length: count }, (_, i) => ({
          message: create(ProbeRecordedSchema, { tenantId: 'bench', probeId, sequence: BigInt(from + i), sentAt: timestampFromDate(new Date()) }),
          subject: `${probeId}-${(from + i) % 64}`,
          tenantId: 'bench',
        })),
      ),
    );
  const waitUntilConsumed = async (target: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (consumed < target) {
      if (Date.now() > deadline) throw new Error(`${transports.name}: only ${consumed}/${target} events consumed after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  try {
    // Warm-up: connections, group join, JIT.
    await write('warmup', 0, 200);
    await waitUntilConsumed(200, 60_000);

    const base = consumed;
    const started = Date.now();
    const writers = 2;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let from = writer * WRITE_BATCH; from < THROUGHPUT_EVENTS; from += writers * WRITE_BATCH) {
          await write('throughput', from, Math.min(WRITE_BATCH, THROUGHPUT_EVENTS - from));
        }
      }),
    );
    const written = Date.now();
    await waitUntilConsumed(base + THROUGHPUT_EVENTS, 300_000);
    const seconds = (Date.now() - started) / 1_000;
    const common = { bench: 'events', transport: transports.name, postgres };
    printFigure({ ...common, metric: 'sustained_events_per_s', value: Math.round(THROUGHPUT_EVENTS / seconds), events: THROUGHPUT_EVENTS });
    printFigure({ ...common, metric: 'write_events_per_s', value: Math.round(THROUGHPUT_EVENTS / ((written - started) / 1_000)) });

    // Steady load: 10 events every 10 ms, each in its own transaction, as many small business writes would.
    const afterThroughput = consumed;
    recordLatency = true;
    const ticks = LATENCY_SECONDS * 100;
    const perTick = LATENCY_RATE / 100;
    const loadStart = Date.now();
    const inFlight: Array<Promise<unknown>> = [];
    for (let tick = 0; tick < ticks; tick++) {
      const from = tick * perTick;
      inFlight.push(
        write('latency', from, perTick).then(() => {
          const now = Date.now();
          for (let i = from; i < from + perTick; i++) committedAt.set(i, now);
        }),
      );
      const next = loadStart + (tick + 1) * 10;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
    await waitUntilConsumed(afterThroughput + ticks * perTick, 120_000);
    const sorted = [...handledAt].map(([sequence, at]) => Math.max(0, at - (committedAt.get(sequence) ?? at))).sort((a, b) => a - b);
    const withWrite = sinceWriteStart.sort((a, b) => a - b);
    const at = { rate_per_s: LATENCY_RATE, events: sorted.length };
    printFigure({ ...common, metric: 'e2e_latency_p50_ms', value: round(percentile(sorted, 50)), from: 'commit', ...at });
    printFigure({ ...common, metric: 'e2e_latency_p99_ms', value: round(percentile(sorted, 99)), from: 'commit', ...at });
    printFigure({ ...common, metric: 'e2e_latency_max_ms', value: round(sorted[sorted.length - 1]), from: 'commit', ...at });
    printFigure({ ...common, metric: 'write_to_handler_p99_ms', value: round(percentile(withWrite, 99)), from: 'transaction start', ...at });
  } finally {
    await producer.stop();
    await consumer.stop();
    await producerDb.close();
    await consumerDb.close();
  }
}
