import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { currentContext } from '../database/request-context';
import { httpRequestDuration } from './http-metrics';
import type { Middleware } from './request-context.middleware';
import { routeTemplateOf } from './route-template';
import { traceIdOf } from './trace-context';

/** Probes and scrapes arrive every few seconds; logging each would drown the useful lines. */
const UNLOGGED_PATHS = /^\/(health\/|metrics(\?|$))/;
/** nginx's convention for "the client went away before the response was complete". */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * Observes every request's duration in the histogram and writes one access-log line per request.
 * Must run inside the request context middleware.
 */
export function httpTelemetryMiddleware(options: { service: string; logger: Logger }): Middleware {
  const histogram = httpRequestDuration();
  return (req, res, next) => {
    const startedAt = performance.now();
    const context = currentContext();
    res.once('close', () => {
      const seconds = (performance.now() - startedAt) / 1000;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      const route = routeTemplateOf(req, res);
      histogram.observe({ service: options.service, method: req.method ?? 'GET', route, status: String(status) }, seconds);
      if (!UNLOGGED_PATHS.test(req.url ?? '')) logRequest(options.logger, req, status, route, seconds, context);
    });
    next();
  };
}

function logRequest(
  logger: Logger,
  req: IncomingMessage & { originalUrl?: string },
  status: number,
  route: string,
  seconds: number,
  context: ReturnType<typeof currentContext>,
): void {
  const level = status >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId: context?.requestId,
      tenantId: context?.tenantId,
      userId: context?.userId,
      traceId: traceIdOf(context?.traceparent),
      method: req.method,
      url: req.originalUrl ?? req.url,
      route,
      status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
    },
    'request completed',
  );
}
