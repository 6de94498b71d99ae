import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { prng } from '@crm/platform/random';
import { service as salesService } from '@crm/sales';
import { createTestDatabase } from '@crm/testing';
import { benchPostgres } from '../events/bench-database';
import { percentile, printFigure, round } from '../events/figures';
import { ServiceApi } from '../service-api';
import { asTenant, companyName, customerPhone, INDUSTRIES, leadPhone, loadSalesPopulation, newCompanyName, REGIONS, type SalesPopulationSize } from './sales-population';

const SIZE: SalesPopulationSize = {
  reps: 50,
  customers: Number(process.env.BENCH_SALES_CUSTOMERS ?? 100_000),
  leads: Number(process.env.BENCH_LEADS ?? 1_000_000),
  opportunities: Number(process.env.BENCH_OPPORTUNITIES ?? 1_000_000),
  contracts: Number(process.env.BENCH_CONTRACTS ?? 200_000),
  instalmentsPerContract: 5,
};
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 500);

/**
 * The sales service at volume (1M leads, 1M opportunities, 1M instalments by default): the funnel and
 * forecast reports, the payment forecast, and lead capture (dedup + score + assign), each through the
 * service's HTTP API with the headers the gateway sends, one request at a time.
 */
export async function runSalesBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  // BENCH_SALES_DATABASE: a database an earlier run kept (BENCH_KEEP_DATABASE), measured again without loading it.
  const reuse = process.env.BENCH_SALES_DATABASE;
  const postgres = reuse ? { label: 'BENCH_SALES_DATABASE', stop: async () => undefined } : await benchPostgres();
  const database = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench_sales');
  let running: RunningService | undefined;
  try {
    running = await createService(salesService, {
      host: '127.0.0.1',
      port: 0,
      databaseUrl: database.url,
      runMigrations: true,
      env: { LOG_LEVEL: 'error', EVENT_TRANSPORT: 'in-process', DATABASE_POOL_SIZE: '10', SALES_SCHEDULER_INTERVAL_SECONDS: '0' },
    });
    const db = running.app.get(DataSource);
    const loaded = reuse ? await loadedPopulation(db) : undefined;
    const tenantId = loaded?.tenantId ?? randomUUID();
    const admin = new ServiceApi(running.url, { tenantId, userId: randomUUID(), roles: ['admin'], teamIds: [] });
    const pipelines = await admin.expect<{ items: Array<{ id: string; isDefault: boolean }> }>(200, 'GET', '/pipelines');
    const pipelineId = pipelines.items.find((pipeline) => pipeline.isDefault)?.id ?? pipelines.items[0].id;

    const started = performance.now();
    const { reps, teams } = loaded ?? (await loadSalesPopulation(db, tenantId, pipelineId, SIZE));
    if (!loaded) printFigure({ bench: 'sales', figure: 'load', postgres: postgres.label, ...SIZE, seconds: round((performance.now() - started) / 1000, 1) });

    const only = (process.env.BENCH_ONLY ?? 'funnel,forecast,payments,capture').split(',');
    if (only.includes('funnel')) await measureFunnel(admin, pipelineId, reps[3], teams[1]);
    if (only.includes('forecast')) await measureReport(admin, 'forecast_ms', ['/reports/forecast?period=2026-Q4', '/reports/forecast?period=2026'], undefined);
    if (only.includes('payments')) await measureReport(admin, 'payment_forecast_ms', paymentForecastQueries(reps[7]), 1000);
    if (only.includes('capture')) await measureCapture(admin, teams);
  } finally {
    await running?.close();
    if (!reuse && process.env.BENCH_KEEP_DATABASE === 'true' && process.env.DATABASE_URL) printFigure({ bench: 'sales', keptDatabase: database.url });
    else await database.drop();
    await postgres.stop();
  }
}

/** The tenant, reps and teams of a database an earlier run loaded (the tenant with the most leads). */
async function loadedPopulation(db: DataSource): Promise<{ tenantId: string; reps: string[]; teams: string[] }> {
  const [{ tenant_id: tenantId }]: Array<{ tenant_id: string }> = await db.query(`SELECT tenant_id FROM lead_name_search GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  return asTenant(db, tenantId, async (manager) => {
    const reps: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
    const teams: Array<{ team_id: string }> = await manager.query(`SELECT DISTINCT team_id FROM user_team_members WHERE tenant_id = $1 ORDER BY 1`, [tenantId]);
    return { tenantId, reps: reps.map((row) => row.id), teams: teams.map((row) => row.team_id) };
  });
}

async function measureFunnel(api: ServiceApi, pipelineId: string, ownerId: string, teamId: string): Promise<void> {
  const queries = [
    `/reports/funnel?pipelineId=${pipelineId}`,
    `/reports/funnel?pipelineId=${pipelineId}&from=2025-01-01T00:00:00Z&to=2025-04-01T00:00:00Z`,
    `/reports/funnel?pipelineId=${pipelineId}&from=2025-01-01T08:00:00Z&to=2026-01-01T08:00:00Z`,
    `/reports/funnel?pipelineId=${pipelineId}&ownerId=${ownerId}`,
    `/reports/funnel?pipelineId=${pipelineId}&teamId=${teamId}`,
  ];
  await measureReport(api, 'funnel_ms', queries, 1000);
}

function paymentForecastQueries(ownerId: string): string[] {
  const today = new Date();
  const shift = (months: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
  return [`/reports/payment-forecast?from=${shift(-12)}&to=${shift(12)}`, `/reports/payment-forecast?from=${shift(0)}&to=${shift(3)}`, `/reports/payment-forecast?from=${shift(-24)}&to=${shift(24)}&ownerId=${ownerId}`];
}

/** Every query SAMPLES times (after one warm-up each); p50/p99 over all, and the slowest query's p99. */
async function measureReport(api: ServiceApi, figure: string, queries: string[], targetMs: number | undefined): Promise<void> {
  for (const query of queries) await api.expect(200, 'GET', query);
  const all: number[] = [];
  const byQuery: Record<string, number> = {};
  for (const query of queries) {
    const timings: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      await api.expect(200, 'GET', query);
      timings.push(performance.now() - started);
    }
    all.push(...timings);
    byQuery[query.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')] = round(percentile(timings.sort((a, b) => a - b), 99));
  }
  const sorted = all.sort((a, b) => a - b);
  printFigure({
    bench: 'sales',
    figure,
    opportunities: SIZE.opportunities,
    instalments: SIZE.contracts * SIZE.instalmentsPerContract,
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
    ...(targetMs ? { targetMs } : {}),
    p99ByQuery: JSON.stringify(byQuery),
  });
}

/**
 * Lead capture through POST /leads as integrations send them: most are new companies, some repeat an
 * open lead's phone (merged), some are existing customers (linked), some resemble an open lead's
 * company name (possible duplicate). Assignment rules route regions to teams.
 */
async function measureCapture(api: ServiceApi, teams: string[]): Promise<void> {
  await api.expect(200, 'PUT', '/leads/assignment-rules', {
    highScoreThreshold: 80,
    defaultCapacity: 100_000,
    rules: REGIONS.map((region, index) => ({ name: `${region}区`, regions: [region], teamId: teams[index % teams.length] })),
  });
  const random = prng(23);
  // New contacts differ from run to run, so a reused database (BENCH_SALES_DATABASE) sees them as new again.
  const fresh = (Math.floor(Date.now() / 1000) % 90_000) * 1_000;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const outcomes: Record<string, number> = {};
  const timings: number[] = [];
  for (let i = 0; i < CAPTURES; i++) {
    const dice = random();
    const existingLead = Math.floor(random() * SIZE.leads);
    const base = { channel: pick(['web_form', 'event', 'api', 'manual']), contactName: `客户${i}`, industry: pick(INDUSTRIES), region: pick(REGIONS), companySize: 20 + (i % 900) };
    const body =
      dice < 0.6
        ? { ...base, companyName: newCompanyName(fresh + i), phone: `+86137${String(fresh + i).padStart(8, '0')}` }
        : dice < 0.8
          ? { ...base, companyName: companyName(existingLead), phone: leadPhone(existingLead) }
          : dice < 0.9
            ? { ...base, companyName: `新客户${i}`, phone: customerPhone(1 + Math.floor(random() * SIZE.customers)) }
            : { ...base, companyName: companyName(existingLead).replace('有限公司', '股份有限公司'), email: `new${i}@example.cn` };
    const started = performance.now();
    const response = await api.call('POST', '/leads', body);
    timings.push(performance.now() - started);
    if (response.status !== 201 && response.status !== 200) throw new Error(`capture: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
    const outcome = (response.body as { outcome?: string; duplicateOf?: string | null; customerId?: string | null }) ?? {};
    const kind = outcome.outcome === 'merged' ? 'merged' : outcome.customerId ? 'customer_linked' : outcome.duplicateOf ? 'possible_duplicate' : 'new';
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  const sorted = timings.sort((a, b) => a - b);
  printFigure({
    bench: 'sales',
    figure: 'lead_capture_ms',
    leads: SIZE.leads,
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
    targetP99: 50,
    outcomes: JSON.stringify(outcomes),
  });
}
