import { collectDefaultMetrics, Histogram, register } from 'prom-client';

export const HTTP_REQUEST_DURATION_METRIC = 'http_server_request_duration_seconds';

/**
 * Default Node metrics and the `service` default label, once per process. Several services share one
 * process in embedded mode: the first one names the process, and per-request metrics carry their own
 * `service` label so they stay apart.
 */
export function initProcessMetrics(service: string): void {
  if (register.getSingleMetric('nodejs_version_info')) return;
  register.setDefaultLabels({ service });
  collectDefaultMetrics();
}

/** Buckets follow the OpenTelemetry HTTP semantic conventions (5 ms to 10 s). */
export function httpRequestDuration(): Histogram<'service' | 'method' | 'route' | 'status'> {
  const existing = register.getSingleMetric(HTTP_REQUEST_DURATION_METRIC);
  if (existing) return existing as Histogram<'service' | 'method' | 'route' | 'status'>;
  return new Histogram({
    name: HTTP_REQUEST_DURATION_METRIC,
    help: 'Duration of HTTP requests served, by route template and status',
    labelNames: ['service', 'method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  });
}
