import autocannon from 'autocannon';

export interface LoadOptions {
  durationS: number;
  connections: number;
  /** Requests per second across all connections; unset drives the target as fast as it answers. */
  rate?: number;
  /**
   * Headers sent with every request, asked for again every `HEADER_REFRESH_MS`: the internal
   * credential a service requires is only valid for a minute, and a run may last longer.
   */
  headers?: () => Record<string, string>;
}

export interface LoadResult {
  rps: number;
  p99Ms: number;
}

const HEADER_REFRESH_MS = 20_000;

/** Drives one URL with keep-alive connections; any error or non-2xx answer invalidates the figures. */
export async function measure(url: string, options: LoadOptions): Promise<LoadResult> {
  const refreshers: NodeJS.Timeout[] = [];
  const { headers } = options;
  const setupClient = headers
    ? (client: autocannon.Client): void => {
        client.setHeaders(headers());
        refreshers.push(setInterval(() => client.setHeaders(headers()), HEADER_REFRESH_MS));
      }
    : undefined;
  let result: autocannon.AutocannonResult;
  try {
    result = await autocannon({ url, connections: options.connections, duration: options.durationS, pipelining: 1, overallRate: options.rate, setupClient });
  } finally {
    for (const timer of refreshers) clearInterval(timer);
  }
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`);
  return { rps: result.requests.average, p99Ms: result.latency.p99 };
}
