import autocannon from 'autocannon';

export interface LoadOptions {
  durationS: number;
  connections: number;
  /** Requests per second across all connections; unset drives the target as fast as it answers. */
  rate?: number;
}

export interface LoadResult {
  rps: number;
  p99Ms: number;
}

/** Drives one URL with keep-alive connections; any error or non-2xx answer invalidates the figures. */
export async function measure(url: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, connections: options.connections, duration: options.durationS, pipelining: 1, overallRate: options.rate });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`);
  return { rps: result.requests.average, p99Ms: result.latency.p99 };
}
