import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ProbeRecordedEvent, ProbeRecordedSchema, type ProbeRecorded } from '@crm/contracts';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { handlerFor, PoisonMessageError, type EventContractRef, type HandlerRegistration } from '../src/messaging';

export const TENANT = 'tenant-test';

/** The probe contract on a topic of its own, so suites and reruns never read each other's events. */
export function isolatedProbeContract(label: string): EventContractRef<typeof ProbeRecordedSchema> {
  return { ...ProbeRecordedEvent, topic: `test.probe_${label}_${randomUUID().slice(0, 8)}.v1` };
}

export class ProbeEffectsTable1700000000001 implements MigrationInterface {
  name = 'ProbeEffectsTable1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    // No unique constraint on purpose: a duplicate application would show up as a second row.
    await queryRunner.query(`CREATE TABLE probe_effect (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, probe_id text NOT NULL, subject text NOT NULL, sequence bigint NOT NULL, tenant_id text NOT NULL)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE probe_effect`);
  }
}

export interface ProbeHandlerControl {
  /** When true, probes whose note is "poison" throw; flipped off to show DLQ replay. */
  rejectPoison: boolean;
  calls: number;
}

export function probeHandler(contract: EventContractRef<typeof ProbeRecordedSchema>, control: ProbeHandlerControl): HandlerRegistration {
  return handlerFor(contract, async (event, manager) => {
    control.calls++;
    if (control.rejectPoison && event.data.note === 'poison') throw new PoisonMessageError('probe marked as poison');
    await manager.query(`INSERT INTO probe_effect (event_id, probe_id, subject, sequence, tenant_id) VALUES ($1, $2, $3, $4, $5)`, [
      event.id,
      event.data.probeId,
      event.subject,
      event.data.sequence.toString(),
      event.tenantId,
    ]);
  });
}

export function probe(probeId: string, sequence: number, note = ''): ProbeRecorded {
  return create(ProbeRecordedSchema, { tenantId: TENANT, probeId, sequence: BigInt(sequence), note });
}

export async function effectCount(dataSource: DataSource, probeId: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM probe_effect WHERE probe_id = $1`, [probeId]);
  return row.n;
}

export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function waitForEffects(dataSource: DataSource, probeId: string, expected: number, timeoutMs?: number): Promise<void> {
  await waitFor(`${expected} effects of ${probeId}`, async () => (await effectCount(dataSource, probeId)) >= expected, timeoutMs);
}
