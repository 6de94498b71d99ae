import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RunningService, ServiceDefinition } from '@crm/platform/bootstrap';
import { createService } from '@crm/platform/bootstrap';
import { ensureServiceDatabase, startEmbeddedPostgres, type RunningPostgres } from '@crm/platform/database';
import { InProcessTransport } from '@crm/platform/messaging';
import { discoverServices, serviceUrlVariable } from './discover-services';
import { embeddedSecrets } from './embedded-secrets';

export interface EmbeddedOptions {
  dataDir: string;
  postgresPort: number;
  gatewayPort: number;
  log: (line: string) => void;
}

export interface EmbeddedCrm {
  gatewayUrl: string;
  services: Array<{ name: string; url: string }>;
  postgresPort: number;
  /** What services' first-start set-up has to tell the operator (e.g. the demo admin's password). */
  notices: string[];
  stop(): Promise<void>;
}

/**
 * The whole CRM in one process: one embedded PostgreSQL (a database and a role per service), every
 * service on its own port sharing the in-process event transport, and the gateway in front.
 */
export async function startEmbeddedCrm(options: EmbeddedOptions): Promise<EmbeddedCrm> {
  const definitions = discoverServices();
  const started: Array<{ definition: ServiceDefinition; running: RunningService }> = [];
  let postgres: RunningPostgres | undefined;
  const transport = new InProcessTransport();
  const notices: string[] = [];
  // Every service in this process shares one secret; it never needs to survive a restart.
  const env: Record<string, string> = { INTERNAL_AUTH_SECRET: process.env.INTERNAL_AUTH_SECRET || randomBytes(32).toString('hex') };

  const stop = async (): Promise<void> => {
    // Gateway first so no new request reaches a service that is shutting down.
    for (const { running } of [...started].reverse()) await running.close().catch((error) => options.log(`close failed: ${String(error)}`));
    started.length = 0;
    await transport.stop();
    await postgres?.stop();
    postgres = undefined;
  };

  try {
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'postgres'),
      port: options.postgresPort,
      onLog: (line) => {
        if (/FATAL|PANIC|ERROR/.test(line)) options.log(`postgres: ${line.trim()}`);
      },
    });
    Object.assign(env, embeddedSecrets(options.dataDir));
    const upstreams: Record<string, string> = {};
    for (const definition of definitions.filter((d) => d.name !== 'gateway')) {
      const databaseUrl = definition.database ? await ensureServiceDatabase(postgres.url(), `crm_${definition.name}`) : undefined;
      // Explicit port: PORT in the environment is the gateway's.
      const running = await createService(definition, { databaseUrl, transport, runMigrations: true, host: '127.0.0.1', port: definition.defaultPort, env });
      started.push({ definition, running });
      upstreams[serviceUrlVariable(definition.name)] = running.url;
    }
    // Set-up runs once every service is subscribed, so the events it publishes (e.g. the demo admin's
    // UserCreated) reach every read model.
    for (const { definition, running } of started) {
      if (definition.embeddedSetup) notices.push(...(await definition.embeddedSetup(running.app, { ...process.env, ...env })));
    }
    const gateway = definitions.find((d) => d.name === 'gateway');
    if (!gateway) throw new Error('services/gateway is missing');
    const running = await createService(gateway, { port: options.gatewayPort, env: { ...env, ...upstreams } });
    started.push({ definition: gateway, running });
    return {
      gatewayUrl: running.url,
      services: started.map(({ definition, running: service }) => ({ name: definition.name, url: service.url })),
      postgresPort: postgres.port,
      notices,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
