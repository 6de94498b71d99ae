import { randomBytes, randomUUID } from 'node:crypto';
import { service as customersService } from '@crm/customers';
import { prng } from '@crm/platform/random';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { createTestDatabase } from '@crm/testing';
import { Logger } from '@nestjs/common';
import { benchPostgres } from '../events/bench-database';
import { ServiceApi } from '../service-api';
import { percentile, printFigure, round } from '../events/figures';
import { CustomerPopulation } from './customer-population';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const BATCH = 1_000;
const SEED_CONCURRENCY = 2;

/**
 * The customers service at volume (1M customers by default, BENCH_CUSTOMERS): search and list reads,
 * create with its duplicate check, and the full duplicate scan, each through the service's HTTP API with
 * the headers the gateway sends. Latencies are of one request at a time.
 */
export async function runCustomersBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  const postgres = await benchPostgres();
  const database = await createTestDatabase('bench_customers');
  let running: RunningService | undefined;
  try {
    running = await createService(customersService, {
      host: '127.0.0.1',
      port: 0,
      databaseUrl: database.url,
      runMigrations: true,
      env: { LOG_LEVEL: 'error', EVENT_TRANSPORT: 'in-process', CUSTOMERS_PII_KEY: randomBytes(32).toString('base64'), DATABASE_POOL_SIZE: '10' },
    });
    const api = new ServiceApi(running.url, { tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'], teamIds: [] });
    const population = new CustomerPopulation({ seed: 7 });

    await seed(api, population, postgres.label);
    const only = (process.env.BENCH_ONLY ?? 'search,profile,create,scan').split(',');
    if (only.includes('search')) await measureSearch(api, population);
    if (only.includes('profile')) await measureProfile(api);
    if (only.includes('create')) await measureCreate(api, population);
    if (only.includes('scan')) await measureScan(api);
  } finally {
    await running?.close();
    // BENCH_KEEP_DATABASE=true leaves the loaded database behind for EXPLAIN (only with DATABASE_URL).
    if (process.env.BENCH_KEEP_DATABASE === 'true' && process.env.DATABASE_URL) printFigure({ bench: 'customers', keptDatabase: database.url });
    else await database.drop();
    await postgres.stop();
  }
}

async function seed(api: ServiceApi, population: CustomerPopulation, postgres: string): Promise<void> {
  const started = performance.now();
  let written = 0;
  const worker = async () => {
    while (written < CUSTOMERS) {
      const items = population.next(Math.min(BATCH, CUSTOMERS - written));
      written += items.length;
      const response = await api.call('POST', '/customers/batch', { items });
      if (response.status !== 200) throw new Error(`batch: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  printFigure({ bench: 'customers', figure: 'seed_batch_upsert', postgres, customers: CUSTOMERS, seconds: round(seconds, 1), rowsPerSecond: Math.round(CUSTOMERS / seconds) });
}

async function measureSearch(api: ServiceApi, population: CustomerPopulation): Promise<void> {
  const random = prng(11);
  const known = population.next(SAMPLES);
  const queries: Array<{ kind: string; q: string }> = [];
  for (let i = 0; i < SAMPLES; i++) {
    const customer = known[i];
    const digits = customer.phones[0].replace(/\D/g, '').slice(-11);
    const name = [...customer.name.trim()];
    switch (i % 5) {
      case 0:
        queries.push({ kind: 'name', q: name.slice(0, Math.min(3, name.length)).join('') });
        break;
      case 1:
        queries.push({ kind: 'name2', q: name.slice(0, 2).join('') });
        break;
      case 2:
        queries.push({ kind: 'phone_part', q: digits.slice(3, 3 + 4 + Math.floor(random() * 4)) });
        break;
      case 3:
        queries.push({ kind: 'phone_full', q: `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}` });
        break;
      default:
        queries.push({ kind: 'email', q: `user${Math.floor(random() * CUSTOMERS)}@` });
    }
  }
  const timings = new Map<string, number[]>();
  const all: number[] = [];
  for (const { kind, q } of queries) {
    const started = performance.now();
    const response = await api.call('GET', `/customers?limit=20&q=${encodeURIComponent(q)}`);
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`search ${q}: ${response.status}`);
    all.push(ms);
    timings.set(kind, [...(timings.get(kind) ?? []), ms]);
  }
  const lists = ['region=华东', 'stage=prospect', 'tag=vip', `createdFrom=${new Date(Date.now() - 3_600_000).toISOString()}`, ''];
  const listTimings: number[] = [];
  for (let i = 0; i < SAMPLES / 3; i++) {
    const started = performance.now();
    const response = await api.call('GET', `/customers?limit=50&${lists[i % lists.length]}`);
    listTimings.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`list: ${response.status}`);
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
  };
  const byKind = Object.fromEntries([...timings].map(([kind, values]) => [kind, summary(values).p99]));
  printFigure({ bench: 'customers', figure: 'search_ms', customers: CUSTOMERS, samples: all.length, ...summary(all), targetP99: 50, p99ByKind: JSON.stringify(byKind) });
  printFigure({ bench: 'customers', figure: 'list_ms', customers: CUSTOMERS, samples: listTimings.length, ...summary(listTimings) });
}

/** The 360° profile (record + summary) of customers spread over the whole base. */
async function measureProfile(api: ServiceApi): Promise<void> {
  const ids: string[] = [];
  let cursor: string | undefined;
  // Pages of 200 from newest to oldest, a few ids from each, until there are enough.
  while (ids.length < SAMPLES) {
    const page = (await api.call('GET', `/customers?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body as { items: Array<{ id: string }>; nextCursor?: string | null };
    ids.push(...page.items.filter((_, index) => index % 40 === 0).map((item) => item.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const timings: number[] = [];
  for (const id of ids.slice(0, SAMPLES)) {
    const started = performance.now();
    const response = await api.call('GET', `/customers/${id}/profile`);
    timings.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`profile: ${response.status}`);
  }
  const sorted = timings.sort((a, b) => a - b);
  printFigure({ bench: 'customers', figure: 'profile_ms', customers: CUSTOMERS, samples: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), targetP99: 30 });
}

async function measureCreate(api: ServiceApi, population: CustomerPopulation): Promise<void> {
  const timings: number[] = [];
  let flagged = 0;
  for (const customer of population.next(SAMPLES)) {
    const { externalId: _externalId, ...fields } = customer;
    const started = performance.now();
    const response = await api.call('POST', '/customers', fields);
    timings.push(performance.now() - started);
    if (response.status !== 201) throw new Error(`create: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    if (((response.body as { possibleDuplicates?: unknown[] }).possibleDuplicates ?? []).length > 0) flagged++;
  }
  const sorted = timings.sort((a, b) => a - b);
  printFigure({
    bench: 'customers',
    figure: 'create_with_duplicate_check_ms',
    customers: CUSTOMERS,
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    targetP99: 20,
    withPossibleDuplicates: flagged,
  });
}

async function measureScan(api: ServiceApi): Promise<void> {
  const started = performance.now();
  const scan = await api.call('POST', '/customers/duplicates/scan');
  if (scan.status !== 202) throw new Error(`scan: ${scan.status} ${JSON.stringify(scan.body)}`);
  const id = (scan.body as { id: string }).id;
  let progress: { status: string; customersScanned: number; pairsFound: number };
  do {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    progress = (await api.call('GET', `/customers/duplicates/scans/${id}`)).body as typeof progress;
  } while (progress.status === 'running');
  const seconds = (performance.now() - started) / 1000;
  printFigure({ bench: 'customers', figure: 'duplicate_full_scan', customers: CUSTOMERS, status: progress.status, scanned: progress.customersScanned, pairs: progress.pairsFound, seconds: round(seconds, 1), targetSeconds: 60 });
}
