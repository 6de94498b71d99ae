/** The services behind the gateway; `<NAME>_URL` configures where each one runs. */
export const UPSTREAM_SERVICES = ['identity', 'customers', 'sales', 'ticketing', 'marketing', 'analytics'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/** Which service owns each public resource: `/api/v1/<resource>/...`. One or two path segments. */
export const ROUTE_TABLE: Readonly<Record<UpstreamService, readonly string[]>> = {
  identity: ['auth', 'me', 'users', 'teams', 'api-keys', 'audit-log'],
  customers: ['customers', 'custom-fields', 'imports', 'privacy/requests'],
  sales: [
    'leads',
    'opportunities',
    'pipelines',
    'quotes',
    'orders',
    'contracts',
    'payments',
    'activities',
    'plans',
    'quotas',
    'partners',
    'public/forms',
  ],
  ticketing: ['tickets', 'calls', 'kb', 'sla-policies', 'channels', 'public/tickets', 'csat'],
  marketing: ['segments', 'campaigns', 'journeys', 'templates', 'coupons', 'touchpoints'],
  analytics: ['analytics', 'dashboards', 'reports'],
};

export const API_PATH_PREFIX = '/api/v1/';

export interface ResolvedRoute {
  service: UpstreamService;
  resource: string;
  /** Metric label for everything under the resource. */
  template: string;
}

/** `.` and `..` segments (also percent-encoded) could make a path mean another resource upstream. */
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/** Resolves request URLs to the owning service; built once, allocation-free per request. */
export class RouteTable {
  private readonly routes = new Map<string, ResolvedRoute>();

  constructor(table: Readonly<Record<UpstreamService, readonly string[]>> = ROUTE_TABLE) {
    for (const [service, resources] of Object.entries(table) as Array<[UpstreamService, readonly string[]]>) {
      for (const resource of resources) {
        // Service-to-service routes live under /api/v1/internal; the gateway never exposes them.
        if (resource === 'internal' || resource.startsWith('internal/')) throw new Error(`Resource "${resource}" of ${service} is internal and cannot be routed`);
        if (this.routes.has(resource)) throw new Error(`Resource "${resource}" is claimed by ${this.routes.get(resource)?.service} and ${service}`);
        this.routes.set(resource, { service, resource, template: `${API_PATH_PREFIX}${resource}/*` });
      }
    }
  }

  /** The owner of a request URL (path and optional query), or undefined when no service serves it. */
  resolve(url: string): ResolvedRoute | undefined {
    if (!url.startsWith(API_PATH_PREFIX)) return undefined;
    const queryStart = url.indexOf('?', API_PATH_PREFIX.length);
    const path = url.slice(API_PATH_PREFIX.length, queryStart === -1 ? undefined : queryStart);
    if (DOT_SEGMENT.test(path)) return undefined;
    const firstEnd = path.indexOf('/');
    if (firstEnd === -1) return this.routes.get(path);
    const secondEnd = path.indexOf('/', firstEnd + 1);
    return this.routes.get(secondEnd === -1 ? path : path.slice(0, secondEnd)) ?? this.routes.get(path.slice(0, firstEnd));
  }

  /** Every resource and its owner, for documentation and diagnostics. */
  entries(): ResolvedRoute[] {
    return [...this.routes.values()];
  }
}
