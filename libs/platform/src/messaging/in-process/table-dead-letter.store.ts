import type { DataSource } from 'typeorm';
import type { DeadLetterRecord, DeadLetterStore } from '../dead-letter';
import type { Delivery } from '../transport';
import type { EventEnvelope } from '../envelope';

/** Dead letters of the in-process transport, kept in the consuming service's own database. */
export class TableDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly group: string,
    private readonly dataSource: DataSource,
  ) {}

  async put({ delivery, error, attempts }: DeadLetterRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO messaging_dead_letter (consumer_group, topic, event_id, envelope, error, error_name, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.group, delivery.envelope.topic, String(delivery.envelope.id ?? ''), JSON.stringify(delivery.envelope), error.message, error.name, attempts],
    );
  }

  async replay(redeliver: (delivery: Delivery) => Promise<void>, options: { topic?: string } = {}): Promise<{ replayed: number }> {
    const rows: Array<{ id: string; envelope: EventEnvelope }> = await this.dataSource.query(
      `SELECT id, envelope FROM messaging_dead_letter WHERE consumer_group = $1 AND ($2::text IS NULL OR topic = $2) ORDER BY id`,
      [this.group, options.topic ?? null],
    );
    for (const row of rows) {
      // Removed first: a letter that fails again is written back as a new row by the consumer.
      await this.dataSource.query(`DELETE FROM messaging_dead_letter WHERE id = $1`, [row.id]);
      await redeliver({ envelope: row.envelope });
    }
    return { replayed: rows.length };
  }
}
