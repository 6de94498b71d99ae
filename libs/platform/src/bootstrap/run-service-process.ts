import { Logger } from '@nestjs/common';
import { ConfigError } from '../config/config-error';
import { createService, type RunningService } from './create-service';
import type { ServiceDefinition, ServiceRuntimeOptions } from './service-definition';

/**
 * What each service's `main.ts` calls: start, log where it listens, and stop gracefully on SIGTERM or
 * SIGINT (drain HTTP, run shutdown hooks, exit 0). A signal during start-up stops the service as soon
 * as it is up; a second signal exits at once.
 */
export async function runServiceProcess(definition: ServiceDefinition, runtime: ServiceRuntimeOptions = {}): Promise<void> {
  const logger = new Logger(definition.name);
  let running: RunningService | undefined;
  let stopRequested: NodeJS.Signals | undefined;

  const stop = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      logger.warn(`${signal} received again, exiting without waiting`);
      process.exit(1);
    }
    stopRequested = signal;
    if (running) void shutDown(running, signal, logger);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    running = await createService(definition, runtime);
  } catch (error) {
    reportStartupFailure(definition.name, error);
    process.exit(1);
  }
  logger.log(`${definition.name} listening on ${running.url}`);
  if (stopRequested) await shutDown(running, stopRequested, logger);
}

async function shutDown(running: RunningService, signal: NodeJS.Signals, logger: Logger): Promise<void> {
  logger.log(`${signal} received, draining requests and stopping`);
  try {
    await running.close();
    logger.log('stopped');
    process.exit(0);
  } catch (error) {
    logger.error(`did not stop cleanly: ${String(error)}`, error instanceof Error ? error.stack : undefined);
    process.exit(1);
  }
}

/** An operator reads this, so invalid configuration is one line without a stack trace. */
function reportStartupFailure(serviceName: string, error: unknown): void {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Service "${serviceName}" failed to start: ${detail}\n`);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}
