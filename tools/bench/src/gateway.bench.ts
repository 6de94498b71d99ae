import { ANONYMOUS_IDENTITY, signInternalCredential } from '@crm/platform/auth';
import { startBenchTokenIssuer } from './gateway/bench-token-issuer';
import { startGatewayProcess, startUpstreamProcess, type ChildService } from './gateway/child-services';
import { measure, type LoadOptions } from './gateway/load';

const PATH = '/api/v1/customers/8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60';
const WARM_UP: LoadOptions = { durationS: 3, connections: 10 };
/** Request logs would only measure the log sink; both paths run with the same level. */
const QUIET = { LOG_LEVEL: 'warn' };
/** The bench's one caller would otherwise hit its per-user and per-tenant quotas within a second. */
const NO_RATE_LIMITS = { GATEWAY_RATE_LIMIT_USER_PER_MIN: '0', GATEWAY_RATE_LIMIT_TENANT_PER_MIN: '0' };
const NO_UPSTREAMS = { CUSTOMERS_URL: '', SALES_URL: '', TICKETING_URL: '', MARKETING_URL: '', ANALYTICS_URL: '' };

/**
 * The same GET straight to a service and through the gateway in front of it. The service and the
 * gateway each run in their own process, as deployed; the load generator runs in this one. Through
 * the gateway the request carries a real ES256 bearer token, so the figures include authentication.
 * Targets: gateway throughput at least 0.6 of direct, and at most 5 ms added to p99 latency.
 */
export async function runGatewayBench(): Promise<void> {
  const load: LoadOptions = {
    durationS: positiveInteger(process.env.BENCH_DURATION_S, 10),
    connections: positiveInteger(process.env.BENCH_CONNECTIONS, 50),
  };
  const started: ChildService[] = [];
  const issuer = await startBenchTokenIssuer();
  started.push(issuer);
  try {
    const upstream = await startUpstreamProcess(QUIET);
    started.push(upstream);
    const edge = await startGatewayProcess({ ...QUIET, ...NO_UPSTREAMS, ...NO_RATE_LIMITS, IDENTITY_URL: issuer.url, CUSTOMERS_URL: upstream.url });
    started.push(edge);
    const bearer = { headers: () => ({ authorization: `Bearer ${issuer.token}` }) };

    // Called directly, the service wants what the gateway adds: its signed internal credential.
    const signed = { headers: () => internalCredential() };
    await measure(upstream.url + PATH, { ...WARM_UP, ...signed });
    await measure(edge.url + PATH, { ...WARM_UP, ...bearer });
    const direct = await measure(upstream.url + PATH, { ...load, ...signed });
    const proxied = await measure(edge.url + PATH, { ...load, ...bearer });

    // Latency at a steady rate both paths sustain: at saturation p99 is mostly queueing on 2 cores.
    const steady: LoadOptions = { durationS: load.durationS, connections: 10, rate: positiveInteger(process.env.BENCH_RATE, 1_000) };
    const directSteady = await measure(upstream.url + PATH, { ...steady, ...signed });
    const proxiedSteady = await measure(edge.url + PATH, { ...steady, ...bearer });

    report('direct_rps', round(direct.rps));
    report('gateway_rps', round(proxied.rps));
    report('rps_ratio', round(proxied.rps / direct.rps, 3));
    report('direct_p99_ms', direct.p99Ms, { load: 'saturation', connections: load.connections });
    report('gateway_p99_ms', proxied.p99Ms, { load: 'saturation', connections: load.connections });
    report('added_p99_ms', proxied.p99Ms - direct.p99Ms, { load: 'saturation', connections: load.connections });
    report('direct_p99_ms', directSteady.p99Ms, { load: 'steady', rate_per_s: steady.rate! });
    report('gateway_p99_ms', proxiedSteady.p99Ms, { load: 'steady', rate_per_s: steady.rate! });
    report('added_p99_ms', proxiedSteady.p99Ms - directSteady.p99Ms, { load: 'steady', rate_per_s: steady.rate! });
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}

/** Set for both child processes by the bench's main. */
function internalCredential(): Record<string, string> {
  const secret = process.env.INTERNAL_AUTH_SECRET;
  if (!secret) throw new Error('INTERNAL_AUTH_SECRET is not set');
  return signInternalCredential(secret, ANONYMOUS_IDENTITY) as Record<string, string>;
}

function report(metric: string, value: number, context: Record<string, string | number> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench: 'gateway', metric, value, ...context })}\n`);
}

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
