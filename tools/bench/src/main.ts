import 'reflect-metadata';
import { randomBytes } from 'node:crypto';

/** `npm run bench -- <name>`: each bench prints one JSON line per figure on stdout. */
const benches: Record<string, () => Promise<void>> = {
  customers: async () => (await import('./customers/customers.bench')).runCustomersBench(),
  events: async () => (await import('./events/events.bench')).runEventsBench(),
  gateway: async () => (await import('./gateway.bench')).runGatewayBench(),
  import: async () => (await import('./customers-import/import.bench')).runImportBench(),
  sales: async () => (await import('./sales/sales.bench')).runSalesBench(),
};

async function main(): Promise<void> {
  // The gateway and the services it starts share this secret: children inherit the environment.
  process.env.INTERNAL_AUTH_SECRET ||= randomBytes(32).toString('base64url');
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !(name in benches));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [...]${unknown.length ? `\nunknown bench: ${unknown.join(', ')}` : ''}`);
    process.exit(2);
  }
  for (const name of names) await benches[name]();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
