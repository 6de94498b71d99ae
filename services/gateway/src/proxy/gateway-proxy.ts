import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import type { RawHttpHandler } from '@crm/platform/bootstrap';
import { NotFoundError, problemContextOf, respondWithProblem, sendProblem, toProblemDetails } from '@crm/platform/errors';
import { currentContext, runWithContext, setRouteTemplate, type RequestContext } from '@crm/platform/observability';
import type { Dispatcher } from 'undici';
import type { Caller } from '../auth/caller';
import { GatewayAuth } from '../auth/gateway-auth';
import { isInternalPath, publicAccess } from '../auth/public-routes';
import { GatewayEnv } from '../config/gateway.env';
import { CorsPolicy } from '../cors/cors-policy';
import { hasProblemHeaders } from '../errors/gateway-errors';
import { BodyTooLargeError, declaresTooLargeBody, forwardedBody } from '../limits/body-limit';
import { BodyLimits } from '../limits/body-limits';
import { clientAddress } from '../limits/client-address';
import { RateLimits } from '../limits/rate-limits';
import { archiveRequestId } from '../privacy/customer-data-services';
import { PrivacyArchive } from '../privacy/privacy-archive';
import { RouteTable, type ResolvedRoute } from '../routes/route-table';
import { UpstreamRegistry } from '../upstreams/upstream-registry';
import { forwardedRequestHeaders } from './forwarded-headers';
import { ProxiedResponse } from './proxied-response';
import { isClientAbort, notDeployed, upstreamFailure } from './upstream-failure';

/**
 * Streams `/api/v1/<resource>/...` to the owning service over a keep-alive pool: bodies are piped both
 * ways, never buffered. URLs no service owns fall through to Nest, which answers 404.
 *
 * Before forwarding, in order: CORS (preflights answered here), `/api/v1/internal` refused, declared
 * body size, then either the per-IP limit of a public route or authentication and the caller's rate
 * limits. The request goes upstream with the identity the gateway vouches for, signed.
 */
@Injectable()
export class GatewayProxy implements RawHttpHandler {
  private readonly logger = new Logger(GatewayProxy.name);
  private readonly routes = new RouteTable();
  private readonly secret: string;
  private readonly bodyLimits: BodyLimits;
  private readonly trustedProxies: number;

  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly auth: GatewayAuth,
    private readonly limits: RateLimits,
    private readonly cors: CorsPolicy,
    private readonly config: GatewayEnv,
    private readonly privacyArchive: PrivacyArchive,
  ) {
    this.secret = config.INTERNAL_AUTH_SECRET;
    this.bodyLimits = new BodyLimits(config);
    this.trustedProxies = config.GATEWAY_TRUST_PROXY;
  }

  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (this.cors.enabled && this.cors.apply(req, res)) return;
    const url = req.url ?? '';
    if (isInternalPath(url)) return this.refuse(req, res, notRouted(req, url));
    const route = this.routes.resolve(url);
    if (!route) return next();
    setRouteTemplate(res, route.template);
    const context = currentContext();
    if (!context) throw new Error('The gateway proxy must run inside the request context middleware');
    const { maxBytes } = this.bodyLimits.of(req.method, url);
    if (declaresTooLargeBody(req, maxBytes)) return this.refuse(req, res, new BodyTooLargeError(maxBytes));

    const access = publicAccess(req.method, url);
    if (access) {
      const now = Date.now();
      const limited = this.limits.limitsAddress(access) ? this.limits.checkAddress(access, clientAddress(req, this.trustedProxies), now) : undefined;
      if (limited) return this.refuse(req, res, limited);
      return this.forward(req, res, route, context, this.auth.anonymous, now);
    }

    let caller: Caller | Promise<Caller>;
    try {
      caller = this.auth.authenticate(req);
    } catch (error) {
      return this.refuse(req, res, error);
    }
    if (caller instanceof Promise) {
      caller.then(
        (verified) => this.admit(req, res, route, context, verified),
        (error: unknown) => this.refuse(req, res, error),
      );
    } else {
      this.admit(req, res, route, context, caller);
    }
  }

  private admit(req: IncomingMessage, res: ServerResponse, route: ResolvedRoute, context: RequestContext, caller: Caller): void {
    // The client may have gone away while its credentials were checked.
    if (res.destroyed) return;
    const now = Date.now();
    const limited = this.limits.checkCaller(caller, now);
    if (limited) return this.refuse(req, res, limited);
    // For the gateway's own access log line; services get the identity from the signed headers.
    context.tenantId = caller.identity.tenantId;
    context.userId = caller.identity.userId;
    // The one response the gateway composes from several services rather than forwards.
    const archiveOf = archiveRequestId(req.method, req.url ?? '');
    if (archiveOf !== undefined) {
      this.privacyArchive.serve(res, context, caller, archiveOf).catch((error: unknown) => this.refuse(req, res, error));
      return;
    }
    this.forward(req, res, route, context, caller, now);
  }

  private forward(req: IncomingMessage, res: ServerResponse, route: ResolvedRoute, context: RequestContext, caller: Caller, now: number): void {
    const upstream = this.upstreams.get(route.service);
    if (!upstream) return this.refuse(req, res, notDeployed(route.service));
    const limit = this.bodyLimits.of(req.method, req.url ?? '');
    upstream.pool.dispatch(
      {
        method: req.method as Dispatcher.HttpMethod,
        path: upstream.basePath + req.url,
        headers: forwardedRequestHeaders(req, context, caller.forwardedHeaders(this.secret, now)) as Record<string, string | string[]>,
        body: forwardedBody(req, limit.maxBytes),
        ...(limit.headersTimeoutMs === undefined ? {} : { headersTimeout: limit.headersTimeoutMs }),
      },
      // undici calls back from its socket's async context, which belongs to whichever request opened the
      // pooled connection; the failure is answered and logged in this request's context instead.
      new ProxiedResponse(res, (error) => runWithContext(context, () => this.answerFailure(req, res, route, error))),
    );
  }

  private answerFailure(req: IncomingMessage, res: ServerResponse, route: ResolvedRoute, error: Error): void {
    if (error instanceof BodyTooLargeError) return this.refuse(req, res, error);
    if (isClientAbort(error)) return;
    const failure = upstreamFailure(route.service, error, this.config.GATEWAY_UPSTREAM_TIMEOUT_MS);
    if (failure.status === 502) this.logger.warn(`${req.method} ${route.template} to ${route.service} failed: ${String(error)}`);
    respondWithProblem(req, res, failure);
  }

  /** Answers with the problem for `error`, with the headers it carries (its challenge, Retry-After, ...). */
  private refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (res.destroyed) return;
    const mapped = toProblemDetails(error, problemContextOf(req, res));
    sendProblem(res, hasProblemHeaders(error) ? { ...mapped, headers: { ...mapped.headers, ...error.headers } } : mapped);
    if (mapped.unexpected) this.logger.error(`${req.method} ${mapped.problem.instance} failed: ${String(error)}`, error instanceof Error ? error.stack : undefined);
  }
}

/** The same answer as for a path nothing serves, so internal routes are not even confirmed to exist. */
function notRouted(req: IncomingMessage, url: string): NotFoundError {
  const queryStart = url.indexOf('?');
  return new NotFoundError(`Cannot ${req.method} ${queryStart === -1 ? url : url.slice(0, queryStart)}`);
}
