/**
 * The routes anyone may call without credentials (design §5). Everything else under /api/v1 needs a
 * bearer token or an API key. The same list marks the operations `security: []` in the API document.
 *
 * Matching is exact and case-sensitive on the path (query string ignored, one trailing slash
 * tolerated): a spelling the list does not know is treated as protected, never the other way round.
 */
export type PublicAccess = 'auth' | 'public';

const API = '/api/v1/';
const PUBLIC_PREFIX = `${API}public/`;
const INTERNAL = /^\/api\/v1\/internal(?:[/?#]|$)/i;

/** `<METHOD> <path>` of the identity routes that create, renew or end a session, and the signing keys. */
const AUTH_ROUTES: ReadonlySet<string> = new Set([
  `POST ${API}auth/signup`,
  `POST ${API}auth/login`,
  `POST ${API}auth/refresh`,
  `POST ${API}auth/logout`,
  `GET ${API}auth/jwks`,
  `HEAD ${API}auth/jwks`,
]);

/** The allow-list as documentation: method and path pattern of every public route. */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  ...[...AUTH_ROUTES].map((route) => {
    const [method, path] = route.split(' ');
    return { method, path };
  }),
  { method: '*', path: `${PUBLIC_PREFIX}**` },
];

/**
 * Whether a request may go through without credentials, and which per-IP limit it counts against:
 * `auth` for the session routes, `public` for anonymous public content, undefined when protected.
 */
export function publicAccess(method: string | undefined, url: string): PublicAccess | undefined {
  if (url.startsWith(PUBLIC_PREFIX)) return 'public';
  // Only the identity auth routes are worth the string work below; everything else is protected.
  if (url.charCodeAt(API.length) !== 97 /* a */ || !url.startsWith('auth/', API.length)) return undefined;
  return AUTH_ROUTES.has(`${method} ${pathOf(url)}`) ? 'auth' : undefined;
}

/**
 * `/api/v1/internal/...` is for service-to-service calls (API-key verification); the gateway refuses it
 * whatever the route table says, so no future resource can expose it by accident.
 */
export function isInternalPath(url: string): boolean {
  return INTERNAL.test(url);
}

function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
