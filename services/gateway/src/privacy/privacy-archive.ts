import type { ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { childTraceparent, REQUEST_ID_HEADER, type RequestContext } from '@crm/platform/observability';
import type { Dispatcher } from 'undici';
import type { Caller } from '../auth/caller';
import { GatewayEnv } from '../config/gateway.env';
import { notDeployed, upstreamFailure } from '../proxy/upstream-failure';
import type { UpstreamService } from '../routes/route-table';
import { UpstreamRegistry, type Upstream } from '../upstreams/upstream-registry';
import { CUSTOMER_DATA_SERVICES, deliveryPath, exportPath, privacyRequestPath } from './customer-data-services';
import { archiveChunks, deliveryReport, toServicePart, type ServicePart } from './privacy-archive.composition';
import { NoArchiveError, UnreadablePrivacyRequestError } from './privacy-archive.errors';

/** Largest export one service may contribute; a larger one is reported unavailable rather than held in memory. */
const MAX_SERVICE_EXPORT_BYTES = 64 * 1024 * 1024;

class ExportTooLargeError extends Error {
  constructor() {
    super(`more than ${MAX_SERVICE_EXPORT_BYTES} bytes`);
  }
}

interface UpstreamAnswer {
  statusCode: number;
  contentType: string;
  text: string;
}

/**
 * `GET /api/v1/privacy/requests/{id}/archive`: the export archive of a privacy request, composed from
 * every service holding customer data. The gateway holds no rules here: customers decides, from the
 * caller's identity, whether the request exists and may be read, and whether it has an archive; each
 * service decides what it exports. A service that is down, too slow or without the export endpoint is
 * listed as unavailable and the archive says it is incomplete, rather than failing it. Once the
 * archive is written, customers is told it was delivered (and what it held).
 */
@Injectable()
export class PrivacyArchive {
  private readonly logger = new Logger(PrivacyArchive.name);

  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly config: GatewayEnv,
  ) {}

  async serve(res: ServerResponse, context: RequestContext, caller: Caller, requestId: string): Promise<void> {
    const customers = this.upstreams.get('customers');
    if (!customers) throw notDeployed('customers');
    const headers = () => this.identityHeaders(context, caller);

    const checked = await this.call(customers, 'GET', privacyRequestPath(requestId), headers()).catch((error: unknown) => {
      throw upstreamFailure('customers', error, this.config.GATEWAY_UPSTREAM_TIMEOUT_MS);
    });
    if (checked.statusCode !== 200) return relay(res, checked);
    const request = parseJson(checked.text) as { customerId?: unknown; archiveUrl?: unknown } | undefined;
    if (typeof request?.customerId !== 'string') throw new UnreadablePrivacyRequestError();
    if (!request.archiveUrl) throw new NoArchiveError(requestId);
    const customerId = request.customerId;

    const parts = new Map<UpstreamService, ServicePart>(
      await Promise.all(CUSTOMER_DATA_SERVICES.map(async (service) => [service, await this.partOf(service, customerId, headers())] as const)),
    );
    if (res.destroyed) return;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="privacy-export-${encodeURIComponent(requestId)}.json"`,
      // Personal data in clear: never kept by a cache on the way.
      'cache-control': 'no-store',
    });
    for (const chunk of archiveChunks({ requestId, customerId, generatedAt: new Date().toISOString() }, parts)) res.write(chunk);
    await this.reportDelivery(customers, requestId, parts, headers());
    res.end();
  }

  private async partOf(service: UpstreamService, customerId: string, headers: Record<string, string>): Promise<ServicePart> {
    const upstream = this.upstreams.get(service);
    if (!upstream) return { status: 'not_deployed' };
    try {
      const answer = await this.call(upstream, 'GET', exportPath(customerId), headers);
      if (answer.statusCode !== 200) return { status: 'unavailable', detail: `The ${service} service answered ${answer.statusCode}` };
      return toServicePart(service, parseJson(answer.text));
    } catch (error) {
      const detail = error instanceof ExportTooLargeError ? `The ${service} service answered ${error.message}` : upstreamFailure(service, error, this.config.GATEWAY_UPSTREAM_TIMEOUT_MS).detail;
      return { status: 'unavailable', detail };
    }
  }

  /** The archive is out: a failure to record it is logged, never turned into a broken download. */
  private async reportDelivery(customers: Upstream, requestId: string, parts: ReadonlyMap<UpstreamService, ServicePart>, headers: Record<string, string>): Promise<void> {
    try {
      const answer = await this.call(customers, 'POST', deliveryPath(requestId), { ...headers, 'content-type': 'application/json' }, JSON.stringify(deliveryReport(parts)));
      if (answer.statusCode !== 200) this.logger.warn(`privacy request ${requestId}: customers answered ${answer.statusCode} to the delivery report`);
    } catch (error) {
      this.logger.warn(`privacy request ${requestId}: the delivery report failed: ${String(error)}`);
    }
  }

  /** The caller's identity signed for services, with this request's id and trace. */
  private identityHeaders(context: RequestContext, caller: Caller): Record<string, string> {
    const headers: Record<string, string> = { ...caller.forwardedHeaders(this.config.INTERNAL_AUTH_SECRET, Date.now()), [REQUEST_ID_HEADER]: context.requestId };
    if (context.traceparent) headers.traceparent = childTraceparent(context.traceparent);
    return headers;
  }

  private async call(upstream: Upstream, method: Dispatcher.HttpMethod, path: string, headers: Record<string, string>, body?: string): Promise<UpstreamAnswer> {
    const response = await upstream.pool.request({ method, path: upstream.basePath + path, headers, body });
    const contentType = String(response.headers['content-type'] ?? 'application/json');
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_SERVICE_EXPORT_BYTES) {
        response.body.destroy();
        throw new ExportTooLargeError();
      }
      chunks.push(chunk as Buffer);
    }
    return { statusCode: response.statusCode, contentType, text: Buffer.concat(chunks).toString('utf8') };
  }
}

/** customers' own answer (403 without privacy:manage, 404) goes to the client as it is. */
function relay(res: ServerResponse, answer: UpstreamAnswer): void {
  if (res.destroyed) return;
  res.writeHead(answer.statusCode, { 'content-type': answer.contentType });
  res.end(answer.text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
