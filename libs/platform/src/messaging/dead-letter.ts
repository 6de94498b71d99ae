import type { Delivery } from './transport';

export interface DeadLetterRecord {
  group: string;
  delivery: Delivery;
  error: Error;
  attempts: number;
}

/**
 * A consumer group's dead letters. Kafka keeps them on `<topic>.dlq.<group>`; the in-process
 * transport keeps them in the consuming service's own `messaging_dead_letter` table.
 */
export interface DeadLetterStore {
  put(record: DeadLetterRecord): Promise<void>;
  /**
   * Hands every dead letter that exists when the call starts back to `redeliver`, oldest first.
   * A letter that fails again is dead-lettered again by the consumer, so replay always terminates.
   */
  replay(redeliver: (delivery: Delivery) => Promise<void>, options?: { topic?: string }): Promise<{ replayed: number }>;
}

/** Thrown by handlers (or the runtime) for messages that can never succeed: no retry, straight to the DLQ. */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

export function describeError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
