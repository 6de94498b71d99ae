import { createMigratedDataSource } from '@crm/testing';
import type { DataSource } from 'typeorm';
import { envelopeFromOutboxRow, MessagingRuntime, type EventContractRef, type EventEnvelope, type EventTransport, type OutboxRow } from '../src/messaging';
import type { ProbeRecordedSchema } from '@crm/contracts';
import {
  effectCount,
  isolatedProbeContract,
  probe,
  ProbeEffectsTable1700000000001,
  probeHandler,
  TENANT,
  waitFor,
  waitForEffects,
  type ProbeHandlerControl,
} from './probe-fixture';

export interface DeadLetterSeen {
  eventId: string;
  error: string;
}

/** What differs between transports; everything else in the contract is the same test. */
export interface TransportUnderTest {
  /** The transport one service process would hold (in-process: the single shared one). */
  transportFor(serviceName: string): EventTransport;
  prepareTopic(topic: string): Promise<void>;
  deadLetters(group: string, topic: string, consumerDb: DataSource): Promise<DeadLetterSeen[]>;
  /** Present when the broker can be restarted from the test. */
  restartBroker?: () => Promise<void>;
}

type Contract = EventContractRef<typeof ProbeRecordedSchema>;

/**
 * The messaging guarantees every service relies on, run against each transport:
 * (a) rollback emits nothing, (b) per-key order, (c) relay crash between publish and mark-sent,
 * (d) duplicate delivery, (e) consumer crash between DB commit and offset commit,
 * (f) poison message to the DLQ and replay, (g) broker restart mid-stream.
 */
export function messagingContract(harness: () => TransportUnderTest): void {
  let producerDb: Awaited<ReturnType<typeof createMigratedDataSource>>;
  let consumerDb: Awaited<ReturnType<typeof createMigratedDataSource>>;
  const running: MessagingRuntime[] = [];
  let groupSeq = 0;

  beforeAll(async () => {
    producerDb = await createMigratedDataSource('producer');
    consumerDb = await createMigratedDataSource('consumer', { migrations: [ProbeEffectsTable1700000000001] });
  });

  afterEach(async () => {
    while (running.length > 0) await running.pop()!.stop();
  });

  afterAll(async () => {
    await producerDb?.close();
    await consumerDb?.close();
  });

  async function start(runtime: MessagingRuntime): Promise<MessagingRuntime> {
    running.push(runtime);
    await runtime.start();
    return runtime;
  }

  function producer(options: Partial<ConstructorParameters<typeof MessagingRuntime>[0]> = {}): MessagingRuntime {
    return new MessagingRuntime({
      serviceName: 'producer',
      dataSource: producerDb.dataSource,
      transport: harness().transportFor('producer'),
      ownsTransport: true,
      relay: { pollIntervalMs: 200, lockRetryMs: 200 },
      ...options,
    });
  }

  function consumer(contract: Contract, control: ProbeHandlerControl, options: Partial<ConstructorParameters<typeof MessagingRuntime>[0]> = {}): MessagingRuntime {
    const group = `consumer_${++groupSeq}_${process.pid}`;
    return new MessagingRuntime({
      serviceName: group,
      dataSource: consumerDb.dataSource,
      transport: harness().transportFor(group),
      ownsTransport: true,
      handlers: [probeHandler(contract, control)],
      consumer: { retryBackoffMs: 20, maxAttempts: 3 },
      ...options,
    });
  }

  async function newTopic(label: string): Promise<Contract> {
    const contract = isolatedProbeContract(label);
    await harness().prepareTopic(contract.topic);
    return contract;
  }

  async function publish(runtime: MessagingRuntime, contract: Contract, probeId: string, sequences: number[], subject = probeId, note = ''): Promise<void> {
    await producerDb.dataSource.transaction(async (manager) => {
      await runtime.eventBus.publishMany(
        manager,
        contract,
        sequences.map((sequence) => ({ message: probe(probeId, sequence, note), subject, tenantId: TENANT })),
      );
    });
  }

  const control = (): ProbeHandlerControl => ({ rejectPoison: true, calls: 0 });

  it('(a) a rolled-back transaction emits nothing', async () => {
    const contract = await newTopic('rollback');
    const source = await start(producer());
    await start(consumer(contract, control()));
    await expect(
      producerDb.dataSource.transaction(async (manager) => {
        await source.eventBus.publish(manager, contract, probe('rolled-back', 1), { subject: 'k', tenantId: TENANT });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await publish(source, contract, 'committed', [1], 'k');
    await waitForEffects(consumerDb.dataSource, 'committed', 1);
    expect(await effectCount(consumerDb.dataSource, 'rolled-back')).toBe(0);
    const [row] = await producerDb.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE topic = $1`, [contract.topic]);
    expect(row.n).toBe(1);
  });

  it('(b) keeps per-key order from outbox to handler', async () => {
    const contract = await newTopic('order');
    const source = await start(producer());
    await start(consumer(contract, control()));
    const keys = ['order-a', 'order-b', 'order-c'];
    for (let batch = 0; batch < 10; batch++) {
      for (const key of keys) await publish(source, contract, key, [batch * 5 + 1, batch * 5 + 2, batch * 5 + 3, batch * 5 + 4, batch * 5 + 5]);
    }
    for (const key of keys) await waitForEffects(consumerDb.dataSource, key, 50);
    for (const key of keys) {
      const rows: Array<{ sequence: string }> = await consumerDb.dataSource.query(`SELECT sequence FROM probe_effect WHERE probe_id = $1 ORDER BY seq`, [key]);
      expect(rows.map((row) => Number(row.sequence))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
  });

  it('(c) a relay that dies after publishing and before marking sent republishes on restart; effects apply once', async () => {
    const contract = await newTopic('relay_crash');
    await start(consumer(contract, control()));
    let crashed = 0;
    const dying = producer({
      relay: {
        pollIntervalMs: 200,
        lockRetryMs: 200,
        afterPublish: () => {
          crashed++;
          throw new Error('relay killed before marking the batch sent');
        },
      },
    });
    await start(dying);
    await publish(dying, contract, 'relay-crash', [1, 2, 3, 4, 5]);
    await waitFor('the relay to publish and crash', async () => crashed > 0);
    await dying.stop();
    running.splice(running.indexOf(dying), 1);
    const unsent = await producerDb.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE topic = $1 AND sent_at IS NULL`, [contract.topic]);
    expect(unsent[0].n).toBe(5);

    await start(producer());
    await waitFor('the restarted relay to mark the batch sent', async () => {
      const [row] = await producerDb.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE topic = $1 AND sent_at IS NULL`, [contract.topic]);
      return row.n === 0;
    });
    await waitForEffects(consumerDb.dataSource, 'relay-crash', 5);
    await publish(producer(), contract, 'relay-crash', [6]);
    await waitForEffects(consumerDb.dataSource, 'relay-crash', 6);
    expect(await effectCount(consumerDb.dataSource, 'relay-crash')).toBe(6);
  });

  it('(d) a duplicate delivery is a no-op', async () => {
    const contract = await newTopic('duplicate');
    const source = await start(producer());
    await start(consumer(contract, control()));
    await publish(source, contract, 'dup', [1, 2, 3]);
    await waitForEffects(consumerDb.dataSource, 'dup', 3);
    const rows: OutboxRow[] = await producerDb.dataSource.query(`SELECT * FROM messaging_outbox WHERE topic = $1 ORDER BY id`, [contract.topic]);
    const envelopes: EventEnvelope[] = rows.map((row) => envelopeFromOutboxRow(row, 'crm/producer'));
    const redelivery = harness().transportFor('redelivery');
    await redelivery.start();
    await redelivery.publish([...envelopes, ...envelopes]);
    await redelivery.stop();
    await publish(source, contract, 'dup', [4]);
    await waitForEffects(consumerDb.dataSource, 'dup', 4);
    expect(await effectCount(consumerDb.dataSource, 'dup')).toBe(4);
  });

  it('(e) a consumer that dies after its DB commit and before the offset commit applies each effect once', async () => {
    const contract = await newTopic('consumer_crash');
    let crashes = 0;
    await start(
      consumer(contract, control(), {
        consumer: {
          retryBackoffMs: 20,
          afterCommit: () => {
            if (crashes++ === 0) throw new Error('consumer killed before committing the offset');
          },
        },
      }),
    );
    const source = await start(producer());
    await publish(source, contract, 'consumer-crash', [1, 2, 3, 4]);
    await waitForEffects(consumerDb.dataSource, 'consumer-crash', 4);
    await publish(source, contract, 'consumer-crash', [5]);
    await waitForEffects(consumerDb.dataSource, 'consumer-crash', 5);
    expect(crashes).toBeGreaterThan(1);
    expect(await effectCount(consumerDb.dataSource, 'consumer-crash')).toBe(5);
  });

  it('(f) a poison message lands in the DLQ with its error, the consumer goes on, and replay applies it once fixed', async () => {
    const contract = await newTopic('poison');
    const handlerControl = control();
    const sink = await start(consumer(contract, handlerControl));
    const source = await start(producer());
    await publish(source, contract, 'poison-ok', [1], 'poison-key');
    await publish(source, contract, 'poison-bad', [2], 'poison-key', 'poison');
    // Garbage on the wire must not stop the consumer either.
    const garbled: EventEnvelope = {
      id: '00000000-0000-4000-8000-000000000001', type: contract.type, source: 'crm/elsewhere', time: new Date().toISOString(),
      subject: 'poison-key', tenantId: TENANT, topic: contract.topic, data: '{"probeId": 42, not json',
    };
    const rogue = harness().transportFor('rogue');
    await rogue.start();
    await rogue.publish([garbled]);
    await rogue.stop();
    await publish(source, contract, 'poison-ok', [3], 'poison-key');
    await waitForEffects(consumerDb.dataSource, 'poison-ok', 2);
    expect(await effectCount(consumerDb.dataSource, 'poison-bad')).toBe(0);

    const group = sink.consumer!.group;
    let letters: DeadLetterSeen[] = [];
    await waitFor('two dead letters', async () => (letters = await harness().deadLetters(group, contract.topic, consumerDb.dataSource)).length >= 2);
    expect(letters.map((letter) => letter.error).sort()).toEqual(
      expect.arrayContaining([expect.stringContaining('probe marked as poison'), expect.stringContaining('not a valid crm.platform.v1.ProbeRecorded')]),
    );

    handlerControl.rejectPoison = false;
    const { replayed } = await sink.replayDeadLetters();
    expect(replayed).toBeGreaterThanOrEqual(2);
    expect(await effectCount(consumerDb.dataSource, 'poison-bad')).toBe(1);
    expect(await effectCount(consumerDb.dataSource, 'poison-ok')).toBe(2);
  });

  it('(g) a broker restart mid-stream loses nothing', async () => {
    const restart = harness().restartBroker;
    if (!restart) {
      // The in-process transport has no broker; a Kafka without a restart hook says so here.
      console.warn('[messaging contract] (g) not applicable: this transport has no broker to restart');
      return;
    }
    const contract = await newTopic('broker_restart');
    const source = await start(producer());
    await start(consumer(contract, control()));
    const total = 200;
    const writer = (async () => {
      for (let i = 0; i < total; i += 10) {
        await publish(source, contract, 'restart', Array.from({ length: 10 }, (_, j) => i + j + 1), `restart-${i % 3}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await restart();
    await writer;
    await waitForEffects(consumerDb.dataSource, 'restart', total, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await effectCount(consumerDb.dataSource, 'restart')).toBe(total);
  });
}
