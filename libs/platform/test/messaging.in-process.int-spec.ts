import type { DataSource } from 'typeorm';
import { InProcessTransport } from '../src/messaging';
import { messagingContract, type DeadLetterSeen } from './messaging-contract';

jest.setTimeout(60_000);

describe('messaging contract on the in-process transport (embedded mode)', () => {
  // One process, one transport shared by every "service", as the embedded runner does.
  const transport = new InProcessTransport();
  const shared = {
    start: async () => undefined,
    stop: async () => undefined,
  };

  messagingContract(() => ({
    transportFor: () => Object.assign(Object.create(transport), shared),
    prepareTopic: async () => undefined,
    async deadLetters(group: string, topic: string, consumerDb: DataSource): Promise<DeadLetterSeen[]> {
      const rows: Array<{ event_id: string; error: string }> = await consumerDb.query(
        `SELECT event_id, error FROM messaging_dead_letter WHERE consumer_group = $1 AND topic = $2 ORDER BY id`,
        [group, topic],
      );
      return rows.map((row) => ({ eventId: row.event_id, error: row.error }));
    },
  }));
});
