import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface KafkaForTests {
  brokers: string[];
  /** Restarts the broker keeping its data, when the environment can (local script or container). */
  restart?: () => Promise<void>;
  stop(): Promise<void>;
}

type Availability = { available: true; source: 'env' | 'docker' } | { available: false; reason: string };

function dockerAnswers(): boolean {
  if (!existsSync('/var/run/docker.sock') && !process.env.DOCKER_HOST) return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Decided synchronously so suites can choose between describe and a skip that says why. */
export function kafkaAvailability(): Availability {
  if (process.env.KAFKA_BROKERS) return { available: true, source: 'env' };
  if (process.env.CRM_TEST_DOCKER !== 'false' && dockerAnswers()) return { available: true, source: 'docker' };
  return { available: false, reason: 'KAFKA_BROKERS is not set and no Docker engine answers (start one with `npm run kafka:start` and set KAFKA_BROKERS=127.0.0.1:9092)' };
}

/**
 * The broker for a Kafka suite: KAFKA_BROKERS (the restart hook uses `KAFKA_RESTART_COMMAND`, which
 * .ci/run sets to the deploy/kafka script), else a Testcontainers broker.
 */
export async function startKafkaForTests(): Promise<KafkaForTests> {
  const availability = kafkaAvailability();
  if (!availability.available) throw new Error(availability.reason);
  if (availability.source === 'env') {
    const restartCommand = process.env.KAFKA_RESTART_COMMAND;
    return {
      brokers: process.env.KAFKA_BROKERS!.split(',').map((broker) => broker.trim()),
      restart: restartCommand
        ? async () => {
            execFileSync('bash', ['-c', restartCommand], { stdio: 'inherit', timeout: 180_000 });
          }
        : undefined,
      stop: async () => undefined,
    };
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
    restart: () => container.restart(),
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * `describe` when a broker is available; otherwise a skipped suite whose reason is printed. Where a
 * broker is required (`CRM_REQUIRE_KAFKA=true`, set by .ci/run for its Kafka step) a missing one fails
 * the suite instead, so CI can never pass by skipping.
 */
export function describeWithKafka(name: string, body: () => void): void {
  const availability = kafkaAvailability();
  if (availability.available) {
    describe(name, body);
    return;
  }
  if (process.env.CRM_REQUIRE_KAFKA === 'true') {
    describe(name, () => {
      it('needs a Kafka broker', () => {
        throw new Error(`CRM_REQUIRE_KAFKA is set but ${availability.reason}`);
      });
    });
    return;
  }
  // Printed once per suite so a skipped Kafka suite is never silent.
  console.warn(`[kafka suite skipped] ${name}: ${availability.reason}`);
  describe.skip(`${name} (skipped: ${availability.reason})`, body);
}
