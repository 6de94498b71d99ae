import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from '@crm/platform/bootstrap';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Every package under services/ that exports a `service` definition, loaded from its built output,
 * so a new service is picked up without editing the runner. The gateway comes last: it fronts the rest.
 */
export function discoverServices(root = REPO_ROOT): ServiceDefinition[] {
  const servicesDir = path.join(root, 'services');
  const definitions: ServiceDefinition[] = [];
  for (const dir of readdirSync(servicesDir).sort()) {
    const manifest = path.join(servicesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, main } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; main?: string };
    const entry = path.join(servicesDir, dir, main ?? 'dist/index.js');
    if (!existsSync(entry)) throw new Error(`${name} is not built (${path.relative(root, entry)} is missing): run \`npm run build\``);
    const exported = require(entry) as { service?: ServiceDefinition };
    if (!exported.service) throw new Error(`${name} does not export a \`service\` definition from ${path.relative(root, entry)}`);
    definitions.push(exported.service);
  }
  return definitions.sort((a, b) => Number(a.name === 'gateway') - Number(b.name === 'gateway') || a.defaultPort - b.defaultPort);
}

export function findService(name: string): ServiceDefinition {
  const services = discoverServices();
  const found = services.find((service) => service.name === name);
  if (!found) throw new Error(`unknown service "${name}"; services: ${services.map((service) => service.name).join(', ')}`);
  return found;
}

/** `IDENTITY_URL` for identity, `CUSTOMERS_URL` for customers: how the gateway finds each service. */
export function serviceUrlVariable(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}
