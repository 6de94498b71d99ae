import 'reflect-metadata';
import path from 'node:path';
import { startEmbeddedCrm, type EmbeddedCrm } from './embedded-crm';
import { REPO_ROOT } from './discover-services';

const SHUTDOWN_DEADLINE_MS = 9_000;

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${variable} must be a port number between 1 and 65535 (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(REPO_ROOT, process.env.CRM_DATA_DIR ?? '.data');
  const log = (line: string) => process.stderr.write(`[embedded] ${line}\n`);
  let crm: EmbeddedCrm;
  try {
    crm = await startEmbeddedCrm({ dataDir, postgresPort: port('CRM_PG_PORT', 54329), gatewayPort: port('PORT', 3000), log });
  } catch (error) {
    console.error(`The CRM did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    setTimeout(() => {
      log('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    crm.stop().then(
      () => process.exit(0),
      (error) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const lines = [
    '',
    'CRM is running (embedded mode: one PostgreSQL, in-process events)',
    `  API gateway   ${crm.gatewayUrl}/api/v1`,
    `  Swagger UI    ${crm.gatewayUrl}/api/docs`,
    `  OpenAPI JSON  ${crm.gatewayUrl}/api/docs-json`,
    `  Readiness     ${crm.gatewayUrl}/health/ready`,
    ...crm.services.filter((s) => s.name !== 'gateway').map((s) => `  ${s.name.padEnd(13)} ${s.url}`),
    `  PostgreSQL    127.0.0.1:${crm.postgresPort} (data in ${path.relative(process.cwd(), dataDir) || dataDir})`,
    ...(crm.notices.length > 0 ? ['', ...crm.notices] : []),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}

void main();
