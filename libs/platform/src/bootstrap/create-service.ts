import type { AddressInfo } from 'node:net';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BaseServiceEnv } from '../config/base-service-env';
import { loadConfig } from '../config/load-config';
import { initProcessMetrics } from '../observability/http-metrics';
import { createServiceLogger } from '../observability/logger';
import { PinoNestLogger } from '../observability/nest-logger.adapter';
import { CoreModule } from './core.module';
import { drainHttpServer } from './graceful-shutdown';
import { installHttpPipeline } from './http-pipeline';
import { buildOpenApiDocument, serveOpenApi } from './openapi';
import { persistenceModules } from './persistence';
import type { ServiceDefinition, ServiceRuntimeOptions } from './service-definition';

export interface RunningService {
  app: NestExpressApplication;
  /** Where the service answers, e.g. `http://127.0.0.1:3001`. */
  url: string;
  port: number;
  /** Drains HTTP (bounded by SHUTDOWN_TIMEOUT_MS), then closes the app and its shutdown hooks. Idempotent. */
  close(): Promise<void>;
}

@Module({})
class ServiceRootModule {}

/** Builds, wires and starts one service; the same call serves `main.ts`, the embedded runner and tests. */
export async function createService(definition: ServiceDefinition, runtime: ServiceRuntimeOptions = {}): Promise<RunningService> {
  const env = { ...process.env, ...runtime.env };
  const config = loadConfig(definition.config ?? BaseServiceEnv, env, definition.name);
  const logger = createServiceLogger({ service: definition.name, level: config.LOG_LEVEL });
  initProcessMetrics(definition.name);

  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [CoreModule.forRoot(definition.name, config), ...(await persistenceModules(definition, config, env, runtime)), definition.module],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  try {
    installHttpPipeline(app, definition, config, logger);
    serveOpenApi(app, definition, buildOpenApiDocument(app, definition));
    await app.listen(runtime.port ?? config.PORT ?? definition.defaultPort, runtime.host ?? config.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }

  const { port } = app.getHttpServer().address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    app,
    port,
    url: `http://${reachableHost(runtime.host ?? config.HOST)}:${port}`,
    close: () => (closing ??= drainHttpServer(app.getHttpServer(), config.SHUTDOWN_TIMEOUT_MS).then(() => app.close())),
  };
}

/** A wildcard bind address is not something a client can connect to. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
