import { InProcessTransport } from './in-process/in-process.transport';
import { KafkaTransport } from './kafka/kafka.transport';
import type { EventTransport } from './transport';

/**
 * A service running on its own uses Kafka (`KAFKA_BROKERS`). The in-process transport only makes
 * sense when every service shares one process (the embedded runner passes one in), or for a
 * service started alone on purpose with `EVENT_TRANSPORT=in-process`.
 */
export function createTransportFromEnv(serviceName: string, env: Record<string, string | undefined> = process.env): EventTransport {
  if (env.EVENT_TRANSPORT === 'in-process') return new InProcessTransport();
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) {
    throw new Error(`KAFKA_BROKERS is required for service "${serviceName}" (e.g. KAFKA_BROKERS=127.0.0.1:9092), or set EVENT_TRANSPORT=in-process`);
  }
  return new KafkaTransport({ brokers, clientId: `crm-${serviceName}` });
}
