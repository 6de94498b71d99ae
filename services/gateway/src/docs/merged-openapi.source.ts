import { Injectable, Logger } from '@nestjs/common';
import type { OpenApiDocumentSource } from '@crm/platform/bootstrap';
import type { OpenAPIObject } from '@nestjs/swagger';
import { GatewayEnv } from '../config/gateway.env';
import { UPSTREAM_SERVICES } from '../routes/route-table';
import { withPrivacyArchiveRoute } from '../privacy/privacy-archive.openapi';
import { UpstreamRegistry, type Upstream } from '../upstreams/upstream-registry';
import { withGatewaySecurity } from './gateway-security';
import { mergeOpenApiDocuments, type ServiceDocument } from './openapi-merge';

const FETCH_TIMEOUT_MS = 5_000;

/**
 * Serves `/api/docs-json` (and the Swagger UI) from every deployed service's document merged with the
 * gateway's own, with the security the gateway enforces. Rebuilt at most once per cache period;
 * concurrent readers share one rebuild.
 */
@Injectable()
export class MergedOpenApiSource implements OpenApiDocumentSource {
  private readonly logger = new Logger(MergedOpenApiSource.name);
  private cached?: { document: OpenAPIObject; expiresAt: number };
  private rebuilding?: Promise<OpenAPIObject>;

  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly config: GatewayEnv,
  ) {}

  document(own: OpenAPIObject): Promise<OpenAPIObject> {
    if (this.cached && this.cached.expiresAt > Date.now()) return Promise.resolve(this.cached.document);
    this.rebuilding ??= this.rebuild(own).finally(() => {
      this.rebuilding = undefined;
    });
    return this.rebuilding;
  }

  private async rebuild(own: OpenAPIObject): Promise<OpenAPIObject> {
    const deployed = this.upstreams.list();
    const fetched = await Promise.all(deployed.map((upstream) => this.fetchDocument(upstream)));
    const available = fetched.filter((entry): entry is ServiceDocument => entry !== undefined);
    const unavailable = [
      ...deployed.filter((_, index) => fetched[index] === undefined).map((upstream) => upstream.service),
      ...UPSTREAM_SERVICES.filter((service) => !this.upstreams.get(service)),
    ];
    const document = withGatewaySecurity(mergeOpenApiDocuments({ service: 'gateway', document: withPrivacyArchiveRoute(own) }, available, unavailable));
    this.cached = { document, expiresAt: Date.now() + this.config.GATEWAY_DOCS_CACHE_MS };
    return document;
  }

  private async fetchDocument(upstream: Upstream): Promise<ServiceDocument | undefined> {
    try {
      const response = await upstream.pool.request({
        method: 'GET',
        path: `${upstream.basePath}/api/docs-json`,
        headersTimeout: FETCH_TIMEOUT_MS,
        bodyTimeout: FETCH_TIMEOUT_MS,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`answered ${response.statusCode}`);
      }
      const document = (await response.body.json()) as OpenAPIObject;
      if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.')) throw new Error('did not serve an OpenAPI 3 document');
      return { service: upstream.service, document };
    } catch (error) {
      this.logger.warn(`API document of ${upstream.service} left out: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
