import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import type { RawHttpHandler } from '@crm/platform/bootstrap';
import { respondWithProblem } from '@crm/platform/errors';
import { currentContext, runWithContext, setRouteTemplate } from '@crm/platform/observability';
import type { Dispatcher } from 'undici';
import { GatewayEnv } from '../config/gateway.env';
import { RouteTable, type ResolvedRoute } from '../routes/route-table';
import { UpstreamRegistry, type Upstream } from '../upstreams/upstream-registry';
import { forwardedRequestHeaders } from './forwarded-headers';
import { GatewayAuth } from './gateway-auth';
import { ProxiedResponse } from './proxied-response';
import { isClientAbort, notDeployed, upstreamFailure } from './upstream-failure';

/**
 * Streams `/api/v1/<resource>/...` to the owning service over a keep-alive pool: bodies are piped both
 * ways, never buffered. URLs no service owns fall through to Nest, which answers 404.
 */
@Injectable()
export class GatewayProxy implements RawHttpHandler {
  private readonly logger = new Logger(GatewayProxy.name);
  private readonly routes = new RouteTable();

  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly auth: GatewayAuth,
    private readonly config: GatewayEnv,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const route = this.routes.resolve(req.url ?? '');
    if (!route) return next();
    setRouteTemplate(res, route.template);
    const upstream = this.upstreams.get(route.service);
    if (!upstream) {
      respondWithProblem(req, res, notDeployed(route.service));
      return;
    }
    this.forward(req, res, route, upstream);
  }

  private forward(req: IncomingMessage, res: ServerResponse, route: ResolvedRoute, upstream: Upstream): void {
    const context = currentContext();
    if (!context) throw new Error('The gateway proxy must run inside the request context middleware');
    const identity = this.auth.authenticate(req);
    upstream.pool.dispatch(
      {
        method: req.method as Dispatcher.HttpMethod,
        path: upstream.basePath + req.url,
        headers: forwardedRequestHeaders(req, context, identity) as Record<string, string | string[]>,
        body: hasBody(req) ? req : null,
      },
      // undici calls back from its socket's async context, which belongs to whichever request opened the
      // pooled connection; the failure is answered and logged in this request's context instead.
      new ProxiedResponse(res, (error) => runWithContext(context, () => this.answerFailure(req, res, route, error))),
    );
  }

  private answerFailure(req: IncomingMessage, res: ServerResponse, route: ResolvedRoute, error: Error): void {
    if (isClientAbort(error)) return;
    const failure = upstreamFailure(route.service, error, this.config.GATEWAY_UPSTREAM_TIMEOUT_MS);
    if (failure.status === 502) this.logger.warn(`${req.method} ${route.template} to ${route.service} failed: ${String(error)}`);
    respondWithProblem(req, res, failure);
  }
}

/** Requests without a length or chunked encoding have no body; passing the stream would make undici wait for one. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
