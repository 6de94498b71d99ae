/** The services behind the gateway; `<NAME>_URL` configures where each one runs. */
export const UPSTREAM_SERVICES = ['identity', 'customers', 'sales', 'ticketing', 'marketing', 'analytics'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/**
 * Which service owns each public resource: `/api/v1/<resource>/...`. One or two path segments, or three
 * with a `*` segment in the middle standing for any one segment (sales' handover of a user, under
 * identity's users/{id}), which wins over the one-segment resource it starts with.
 */
export const ROUTE_TABLE: Readonly<Record<UpstreamService, readonly string[]>> = {
  identity: ['auth', 'me', 'users', 'teams', 'api-keys', 'audit-log'],
  customers: ['customers', 'custom-fields', 'imports', 'privacy/requests'],
  sales: [
    'leads',
    'lead-forms',
    'opportunities',
    'pipelines',
    'quotes',
    'products',
    'orders',
    'contracts',
    'payments',
    'activities',
    'plans',
    'quotas',
    'partners',
    'exchange-rates',
    'automation-rules',
    'sales-settings',
    // Communication templates and scripts are sales' (marketing reads them from sales' events).
    'templates',
    'handovers',
    'users/*/handover',
    'public/forms',
    'reports/funnel',
    'reports/forecast',
    'reports/payment-forecast',
    'reports/sales',
    'reports/process',
    'reports/partners',
  ],
  ticketing: [
    'tickets',
    'ticket-types',
    'calls',
    'channels',
    'routing-rules',
    'agents',
    'sla-policies',
    'sla-calendars',
    'kb',
    'support-portal',
    'public/tickets',
    'public/kb',
    'public/surveys',
    'reports/sla',
    'reports/csat',
  ],
  marketing: ['segments', 'campaigns', 'journeys', 'coupons', 'touchpoints'],
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
  /** Three-segment resources (first, any, last) by their first segment. */
  private readonly nested = new Map<string, Array<{ last: string; route: ResolvedRoute }>>();

  constructor(table: Readonly<Record<UpstreamService, readonly string[]>> = ROUTE_TABLE) {
    for (const [service, resources] of Object.entries(table) as Array<[UpstreamService, readonly string[]]>) {
      for (const resource of resources) {
        // Service-to-service routes live under /api/v1/internal; the gateway never exposes them.
        if (resource === 'internal' || resource.startsWith('internal/')) throw new Error(`Resource "${resource}" of ${service} is internal and cannot be routed`);
        if (this.routes.has(resource)) throw new Error(`Resource "${resource}" is claimed by ${this.routes.get(resource)?.service} and ${service}`);
        const route = { service, resource, template: `${API_PATH_PREFIX}${resource}/*` };
        this.routes.set(resource, route);
        const segments = resource.split('/');
        if (segments.includes('*')) {
          if (segments.length !== 3 || segments[1] !== '*') throw new Error(`Resource "${resource}" of ${service}: only the middle of three segments may be *`);
          this.nested.set(segments[0], [...(this.nested.get(segments[0]) ?? []), { last: segments[2], route }]);
        }
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
    if (secondEnd !== -1 && this.nested.size > 0) {
      const nested = this.nested.get(path.slice(0, firstEnd));
      if (nested) {
        const thirdEnd = path.indexOf('/', secondEnd + 1);
        const third = path.slice(secondEnd + 1, thirdEnd === -1 ? undefined : thirdEnd);
        const match = nested.find((candidate) => candidate.last === third);
        if (match) return match.route;
      }
    }
    return this.routes.get(secondEnd === -1 ? path : path.slice(0, secondEnd)) ?? this.routes.get(path.slice(0, firstEnd));
  }

  /** Every resource and its owner, for documentation and diagnostics. */
  entries(): ResolvedRoute[] {
    return [...this.routes.values()];
  }
}
