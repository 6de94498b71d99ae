import type { IncomingMessage, ServerResponse } from 'node:http';

const ROUTE_TEMPLATE = Symbol('routeTemplate');
export const UNMATCHED_ROUTE = 'unmatched';

type WithTemplate = ServerResponse & { [ROUTE_TEMPLATE]?: string };
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** For handlers outside the router (the gateway proxy): the template to report instead of the raw URL. */
export function setRouteTemplate(res: ServerResponse, template: string): void {
  (res as WithTemplate)[ROUTE_TEMPLATE] = template;
}

/**
 * The route template that served the request (`/api/v1/leads/:id`), never the raw URL, so metric label
 * values stay few.
 */
export function routeTemplateOf(req: IncomingMessage, res: ServerResponse): string {
  const explicit = (res as WithTemplate)[ROUTE_TEMPLATE];
  if (explicit) return explicit;
  const routed = req as RoutedRequest;
  const path = routed.route?.path;
  if (typeof path === 'string') return `${routed.baseUrl ?? ''}${path}`;
  return UNMATCHED_ROUTE;
}
