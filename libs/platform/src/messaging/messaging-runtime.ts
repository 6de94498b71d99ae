import type { DataSource } from 'typeorm';
import type { HealthCheckResult, HealthContributor } from '../health/health-registry';
import { EventConsumer, type ConsumerOptions } from './consumer';
import { EventBus } from './event-bus';
import type { HandlerRegistration } from './handler-registry';
import { OutboxRelay, type RelayOptions } from './relay';
import type { EventTransport } from './transport';

export interface MessagingRuntimeOptions {
  serviceName: string;
  dataSource: DataSource;
  transport: EventTransport;
  handlers?: HandlerRegistration[];
  relay?: Omit<RelayOptions, 'serviceName'>;
  consumer?: Pick<ConsumerOptions, 'maxAttempts' | 'retryBackoffMs' | 'afterCommit'>;
  /** Whether stop() also stops the transport (false when it is shared by several services). */
  ownsTransport?: boolean;
}

/** Outbox relay + consumer group of one service, independent of Nest so tests and tools can drive it. */
export class MessagingRuntime {
  readonly eventBus = new EventBus();
  readonly relay: OutboxRelay;
  readonly consumer?: EventConsumer;
  private started = false;

  constructor(private readonly options: MessagingRuntimeOptions) {
    this.relay = new OutboxRelay(options.dataSource, options.transport, { serviceName: options.serviceName, ...options.relay });
    const handlers = options.handlers ?? [];
    if (handlers.length > 0) {
      const topics = [...new Set(handlers.map((handler) => handler.topic))];
      this.consumer = new EventConsumer({
        group: options.serviceName,
        dataSource: options.dataSource,
        handlers,
        deadLetters: options.transport.deadLetters(options.serviceName, topics, options.dataSource),
        ...options.consumer,
      });
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.options.transport.start();
    if (this.consumer) await this.options.transport.subscribe(this.consumer);
    this.relay.start();
    this.started = true;
  }

  /** Stops publishing, then drains the consumer (in-flight deliveries finish and commit). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.relay.stop();
    if (this.consumer) await this.options.transport.unsubscribe(this.consumer.group);
    if (this.options.ownsTransport) await this.options.transport.stop();
  }

  async replayDeadLetters(options: { topic?: string } = {}): Promise<{ replayed: number }> {
    if (!this.consumer) return { replayed: 0 };
    const store = this.options.transport.deadLetters(this.consumer.group, this.consumer.topics, this.options.dataSource);
    return store.replay(this.consumer.redeliver, options);
  }

  healthContributors(): HealthContributor[] {
    const transport = this.options.transport;
    const relay = this.relay;
    return [
      { name: 'broker', check: () => transport.health() },
      {
        name: 'outbox-relay',
        async check(): Promise<HealthCheckResult> {
          const status = relay.status();
          const lag = await relay.lag();
          return { status: status.state === 'failing' ? 'down' : 'up', details: { ...status, ...lag } };
        },
      },
    ];
  }
}
