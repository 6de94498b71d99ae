import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import type { EventTransport, Subscription, TransportHealth } from '../transport';
import { TableDeadLetterStore } from './table-dead-letter.store';

/**
 * The embedded single-process transport. `publish` resolves only after every subscribed group has
 * committed the events (or dead-lettered them), so the relay marks outbox rows sent only then; if a
 * group cannot commit, publish rejects and the relay retries the batch (other groups deduplicate).
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  private readonly subscriptions = new Map<string, Subscription>();

  /** Nothing to connect: subscribers register themselves. */
  async start(): Promise<void> {
    return undefined;
  }

  async stop(): Promise<void> {
    this.subscriptions.clear();
  }

  async publish(envelopes: EventEnvelope[]): Promise<void> {
    await Promise.all(
      [...this.subscriptions.values()].map(async (subscription) => {
        const wanted = envelopes.filter((envelope) => subscription.topics.includes(envelope.topic));
        if (wanted.length > 0) await subscription.deliver(wanted.map((envelope) => ({ envelope })));
      }),
    );
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.subscriptions.has(subscription.group)) throw new Error(`consumer group ${subscription.group} is already subscribed`);
    this.subscriptions.set(subscription.group, subscription);
  }

  async unsubscribe(group: string): Promise<void> {
    this.subscriptions.delete(group);
  }

  async health(): Promise<TransportHealth> {
    return { status: 'up', details: { transport: this.kind, groups: [...this.subscriptions.keys()] } };
  }

  deadLetters(group: string, _topics: string[], dataSource: DataSource): TableDeadLetterStore {
    return new TableDeadLetterStore(group, dataSource);
  }
}
