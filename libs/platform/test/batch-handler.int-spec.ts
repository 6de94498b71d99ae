import { createMigratedDataSource } from '@crm/testing';
import { batchHandlerFor, InProcessTransport, MessagingRuntime, PoisonMessageError } from '../src/messaging';
import { effectCount, isolatedProbeContract, probe, ProbeEffectsTable1700000000001, TENANT, waitForEffects } from './probe-fixture';

jest.setTimeout(30_000);

describe('batch event handlers', () => {
  it('receive consecutive events in order, and a failing event is isolated and dead-lettered', async () => {
    const producerDb = await createMigratedDataSource('batch_producer');
    const consumerDb = await createMigratedDataSource('batch_consumer', { migrations: [ProbeEffectsTable1700000000001] });
    const contract = isolatedProbeContract('batch');
    const batchSizes: number[] = [];
    const transport = new InProcessTransport();
    const consumer = new MessagingRuntime({
      serviceName: 'batch-consumer',
      dataSource: consumerDb.dataSource,
      transport,
      consumer: { retryBackoffMs: 5, maxAttempts: 2 },
      handlers: [
        batchHandlerFor(contract, async (events, manager) => {
          batchSizes.push(events.length);
          if (events.some((event) => event.data.note === 'poison')) throw new PoisonMessageError('poison in batch');
          await manager.query(`INSERT INTO probe_effect (event_id, probe_id, subject, sequence, tenant_id) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[])`, [
            events.map((event) => event.id),
            events.map((event) => event.data.probeId),
            events.map((event) => event.subject),
            events.map((event) => event.data.sequence.toString()),
            events.map((event) => event.tenantId),
          ]);
        }),
      ],
    });
    const producer = new MessagingRuntime({ serviceName: 'batch-producer', dataSource: producerDb.dataSource, transport });
    try {
      await consumer.start();
      await producerDb.dataSource.transaction((manager) =>
        producer.eventBus.publishMany(manager, contract, [
          ...[1, 2, 3, 4].map((sequence) => ({ message: probe('batch', sequence), subject: 'k', tenantId: TENANT })),
          { message: probe('batch-poison', 5, 'poison'), subject: 'k', tenantId: TENANT },
          ...[6, 7].map((sequence) => ({ message: probe('batch', sequence), subject: 'k', tenantId: TENANT })),
        ]),
      );
      await producer.start();
      await waitForEffects(consumerDb.dataSource, 'batch', 6);
      expect(batchSizes[0]).toBe(7);
      const rows: Array<{ sequence: string }> = await consumerDb.dataSource.query(`SELECT sequence FROM probe_effect ORDER BY seq`);
      expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4, 6, 7]);
      expect(await effectCount(consumerDb.dataSource, 'batch-poison')).toBe(0);
      const [letter] = await consumerDb.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE consumer_group = 'batch-consumer'`);
      expect(letter.error).toBe('poison in batch');
    } finally {
      await producer.stop();
      await consumer.stop();
      await producerDb.close();
      await consumerDb.close();
    }
  });
});
