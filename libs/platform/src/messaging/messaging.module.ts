import { Global, Inject, Module, Optional, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { HealthRegistry } from '../health/health-registry';
import { decodeEvent, type EventContractRef } from './codec';
import { EventBus } from './event-bus';
import type { HandlerRegistration } from './handler-registry';
import { MessagingRuntime, type MessagingRuntimeOptions } from './messaging-runtime';
import { ON_EVENT_METADATA } from './on-event.decorator';
import type { EventTransport } from './transport';

export interface MessagingModuleOptions {
  serviceName: string;
  transport: EventTransport;
  ownsTransport?: boolean;
  relay?: MessagingRuntimeOptions['relay'];
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Wires a service's outbox relay and its consumer group (every `@OnEvent` method of its providers)
 * to the transport, and provides the `EventBus` used to publish inside transactions.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runtime?: MessagingRuntime;

  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, EventBus],
      exports: [EventBus],
    };
  }

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runtime = new MessagingRuntime({
      serviceName: this.options.serviceName,
      dataSource: this.dataSource,
      transport: this.options.transport,
      ownsTransport: this.options.ownsTransport,
      relay: this.options.relay,
      handlers: this.discoverHandlers(),
    });
    await this.runtime.start();
    for (const contributor of this.runtime.healthContributors()) this.health?.register(contributor);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime?.stop();
  }

  /** For the replay-dlq command. */
  replayDeadLetters(options: { topic?: string } = {}): Promise<{ replayed: number }> {
    if (!this.runtime) throw new Error('messaging has not started');
    return this.runtime.replayDeadLetters(options);
  }

  private discoverHandlers(): HandlerRegistration[] {
    const handlers: HandlerRegistration[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const contract = Reflect.getMetadata(ON_EVENT_METADATA, prototype[methodName]) as EventContractRef | undefined;
        if (!contract) continue;
        const method = (instance[methodName] as (...args: unknown[]) => Promise<void>).bind(instance);
        handlers.push({ topic: contract.topic, type: contract.type, decode: (json) => decodeEvent(contract, json), handle: (event, manager) => method(event, manager) });
      }
    }
    return handlers;
  }
}
