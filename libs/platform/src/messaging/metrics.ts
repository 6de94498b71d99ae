import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Messaging metrics live in the default registry (served at /metrics). Several services can share one
 * process in embedded mode, so every metric carries the service or consumer group as a label and is
 * created once per process.
 */
function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const messagingMetrics = {
  published: once('messaging_events_published_total', () =>
    new Counter({ name: 'messaging_events_published_total', help: 'Events handed to the transport by the outbox relay', labelNames: ['service', 'topic'] })),
  handled: once('messaging_events_handled_total', () =>
    new Counter({ name: 'messaging_events_handled_total', help: 'Events consumed, by outcome', labelNames: ['group', 'topic', 'outcome'] })),
  deadLettered: once('messaging_dead_letters_total', () =>
    new Counter({ name: 'messaging_dead_letters_total', help: 'Poison messages moved to a dead-letter store', labelNames: ['group', 'topic'] })),
  handlerDuration: once('messaging_handler_duration_seconds', () =>
    new Histogram({
      name: 'messaging_handler_duration_seconds',
      help: 'Time to apply one event (handler and inbox, in one transaction)',
      labelNames: ['group', 'topic'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    })),
  outboxPending: once('messaging_outbox_pending_events', () =>
    new Gauge({ name: 'messaging_outbox_pending_events', help: 'Outbox rows not yet published', labelNames: ['service'] })),
  outboxLag: once('messaging_outbox_lag_seconds', () =>
    new Gauge({ name: 'messaging_outbox_lag_seconds', help: 'Age of the oldest unpublished outbox row', labelNames: ['service'] })),
  consumerLag: once('messaging_consumer_lag_messages', () =>
    new Gauge({ name: 'messaging_consumer_lag_messages', help: 'Messages behind the partition head when a batch was fetched', labelNames: ['group', 'topic', 'partition'] })),
};
