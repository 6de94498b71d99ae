import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import { GatewayEnv } from '../config/gateway.env';
import { UPSTREAM_SERVICES, type UpstreamService } from '../routes/route-table';

/** A deployed service behind the gateway, with its own keep-alive connection pool. */
export interface Upstream {
  service: UpstreamService;
  /** As configured, e.g. `http://127.0.0.1:3003`. */
  url: string;
  /** Path the service is mounted under (empty unless the URL has one), prepended to forwarded paths. */
  basePath: string;
  pool: Pool;
}

const ENV_VARIABLE: Record<UpstreamService, keyof GatewayEnv> = {
  identity: 'IDENTITY_URL',
  customers: 'CUSTOMERS_URL',
  sales: 'SALES_URL',
  ticketing: 'TICKETING_URL',
  marketing: 'MARKETING_URL',
  analytics: 'ANALYTICS_URL',
};

/** The services whose URL is configured; the others are "not deployed". */
@Injectable()
export class UpstreamRegistry implements OnApplicationShutdown {
  private readonly upstreams = new Map<UpstreamService, Upstream>();

  constructor(config: GatewayEnv) {
    for (const service of UPSTREAM_SERVICES) {
      const url = config[ENV_VARIABLE[service]] as string | undefined;
      if (url) this.upstreams.set(service, createUpstream(service, url, config));
    }
  }

  get(service: UpstreamService): Upstream | undefined {
    return this.upstreams.get(service);
  }

  list(): Upstream[] {
    return [...this.upstreams.values()];
  }

  /** Runs after the HTTP server has drained, so no proxied request still needs a connection. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.list().map((upstream) => upstream.pool.destroy()));
  }
}

export function upstreamEnvVariable(service: UpstreamService): string {
  return ENV_VARIABLE[service];
}

function createUpstream(service: UpstreamService, url: string, config: GatewayEnv): Upstream {
  const parsed = new URL(url);
  const timeout = config.GATEWAY_UPSTREAM_TIMEOUT_MS;
  const pool = new Pool(parsed.origin, {
    connections: config.GATEWAY_UPSTREAM_CONNECTIONS,
    connect: { timeout },
    headersTimeout: timeout,
    // A stalled body is cut off too, so a proxied request can never hang forever.
    bodyTimeout: timeout,
  });
  return { service, url, basePath: parsed.pathname.replace(/\/+$/, ''), pool };
}
