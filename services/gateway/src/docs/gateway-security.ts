import type { OpenAPIObject } from '@nestjs/swagger';
import { publicAccess } from '../auth/public-routes';

export const BEARER_AUTH = 'bearerAuth';
export const API_KEY_AUTH = 'apiKeyAuth';

/** The names services' own documents use (the platform's document builder) and what they become here. */
const RENAMED_SCHEMES: Readonly<Record<string, string>> = { bearer: BEARER_AUTH, 'api-key': API_KEY_AUTH };
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const API_PATH = '/api/v1/';

type SecurityRequirement = Record<string, string[]>;

/**
 * The merged document states what the gateway enforces: every operation needs a bearer access token or
 * an API key, except the public allow-list (and the gateway's own unversioned routes such as health),
 * which are `security: []`. Services' scheme names are mapped to the gateway's; an operation a service
 * marks public but the gateway does not is shown as protected, because it is.
 */
export function withGatewaySecurity(document: OpenAPIObject): OpenAPIObject {
  const schemes = { ...(document.components?.securitySchemes ?? {}) };
  for (const name of Object.keys(RENAMED_SCHEMES)) delete schemes[name];
  schemes[BEARER_AUTH] = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /api/v1/auth/login, /signup or /refresh',
  };
  schemes[API_KEY_AUTH] = { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key `crm_<id>_<secret>` from POST /api/v1/api-keys' };

  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const secured: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      secured[key] = HTTP_METHODS.has(key) ? withOperationSecurity(value as Record<string, unknown>, key, path) : value;
    }
    paths[path] = secured;
  }

  return {
    ...document,
    paths,
    components: { ...document.components, securitySchemes: schemes },
    security: [{ [BEARER_AUTH]: [] }, { [API_KEY_AUTH]: [] }],
  };
}

function withOperationSecurity(operation: Record<string, unknown>, method: string, path: string): Record<string, unknown> {
  const open = !path.startsWith(API_PATH) || publicAccess(method.toUpperCase(), path) !== undefined;
  if (open) return { ...operation, security: [] };
  const declared = operation.security as SecurityRequirement[] | undefined;
  const { security: _dropped, ...rest } = operation;
  // An empty requirement (or an empty list) means "no credentials", which the gateway does not honour.
  const requirements = declared?.map(renamed).filter((requirement) => Object.keys(requirement).length > 0);
  return requirements && requirements.length > 0 ? { ...rest, security: requirements } : rest;
}

function renamed(requirement: SecurityRequirement): SecurityRequirement {
  const result: SecurityRequirement = {};
  for (const [name, scopes] of Object.entries(requirement)) result[RENAMED_SCHEMES[name] ?? name] = scopes;
  return result;
}
