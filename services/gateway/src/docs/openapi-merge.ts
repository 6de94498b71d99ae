import type { OpenAPIObject } from '@nestjs/swagger';

/** One service's API document, as served at its `/api/docs-json`. */
export interface ServiceDocument {
  service: string;
  document: OpenAPIObject;
}

export const UNAVAILABLE_SERVICES_EXTENSION = 'x-unavailable-services';
export const SERVICE_EXTENSION = 'x-service';

/** Component sections that operations reference by `#/components/<section>/<name>`. */
const REFERENCED_SECTIONS = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'links', 'callbacks'] as const;
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

type Components = Record<string, Record<string, unknown> | undefined>;
type Renames = Map<string, string>;

/**
 * One document for the whole API: every service's paths, tags and components next to the gateway's own.
 * A component name two services define differently is prefixed with each one's service name
 * (`sales.Money`, `marketing.Money`) and references are rewritten to match; identical definitions are kept
 * once. Operations are tagged with their service when they have no tag of their own.
 */
export function mergeOpenApiDocuments(gateway: ServiceDocument, services: readonly ServiceDocument[], unavailable: readonly string[]): OpenAPIObject {
  const sources = [gateway, ...services];
  const renames = planRenames(sources);
  const merged: OpenAPIObject & { [UNAVAILABLE_SERVICES_EXTENSION]: string[] } = {
    openapi: gateway.document.openapi,
    info: {
      title: 'CRM API',
      version: gateway.document.info.version,
      description: 'Every service behind the gateway, in one document.',
    },
    paths: {},
    components: { securitySchemes: { ...(gateway.document.components?.securitySchemes ?? {}) } },
    security: gateway.document.security,
    tags: [],
    [UNAVAILABLE_SERVICES_EXTENSION]: [...unavailable],
  };

  for (const source of sources) {
    const document = rewriteRefs(source.document, renames.get(source.service) ?? new Map()) as OpenAPIObject;
    const taggedWithService = mergePaths(merged, document, source.service, source !== gateway);
    mergeComponents(merged, document, renames.get(source.service));
    mergeTags(merged, document, source.service, taggedWithService);
  }
  return merged;
}

/** Per service: `#/components/<section>/<name>` → the prefixed reference it must use instead. */
function planRenames(sources: readonly ServiceDocument[]): Map<string, Renames> {
  const renames = new Map<string, Renames>(sources.map((source) => [source.service, new Map()]));
  for (const section of REFERENCED_SECTIONS) {
    const definitions = new Map<string, Map<string, string>>();
    for (const source of sources) {
      for (const [name, definition] of Object.entries((source.document.components as Components | undefined)?.[section] ?? {})) {
        const byService = definitions.get(name) ?? new Map<string, string>();
        byService.set(source.service, JSON.stringify(definition));
        definitions.set(name, byService);
      }
    }
    for (const [name, byService] of definitions) {
      if (new Set(byService.values()).size <= 1) continue;
      for (const service of byService.keys()) {
        renames.get(service)?.set(`#/components/${section}/${name}`, `#/components/${section}/${service}.${name}`);
      }
    }
  }
  return renames;
}

function rewriteRefs(value: unknown, renames: Renames): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (value === null || typeof value !== 'object') return value;
  const rewritten: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    rewritten[key] = key === '$ref' && typeof child === 'string' ? (renames.get(child) ?? child) : rewriteRefs(child, renames);
  }
  return rewritten;
}

/** Adds the document's operations (the first definition of a path and method wins); true if any was tagged with the service. */
function mergePaths(merged: OpenAPIObject, document: OpenAPIObject, service: string, tagUntagged: boolean): boolean {
  let tagged = false;
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const target = (merged.paths[path] ??= {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (key in target) continue;
      if (!HTTP_METHODS.has(key)) {
        target[key] = value;
        continue;
      }
      const operation: Record<string, unknown> = { ...(value as Record<string, unknown>), [SERVICE_EXTENSION]: service };
      const tags = operation.tags as string[] | undefined;
      if (tagUntagged && (!tags || tags.length === 0)) {
        operation.tags = [service];
        tagged = true;
      }
      target[key] = operation;
    }
  }
  return tagged;
}

function mergeComponents(merged: OpenAPIObject, document: OpenAPIObject, renames: Renames | undefined): void {
  const target = merged.components as Components;
  for (const [section, entries] of Object.entries((document.components as Components | undefined) ?? {})) {
    if (!entries) continue;
    const targetSection = (target[section] ??= {});
    for (const [name, definition] of Object.entries(entries)) {
      const renamed = renames?.get(`#/components/${section}/${name}`)?.split('/').pop() ?? name;
      if (!(renamed in targetSection)) targetSection[renamed] = definition;
    }
  }
}

function mergeTags(merged: OpenAPIObject, document: OpenAPIObject, service: string, addServiceTag: boolean): void {
  const tags = merged.tags ?? [];
  const known = new Set(tags.map((tag) => tag.name));
  const add = (tag: { name: string; description?: string }): void => {
    if (known.has(tag.name)) return;
    known.add(tag.name);
    tags.push(tag);
  };
  for (const tag of document.tags ?? []) add(tag);
  if (addServiceTag) add({ name: service, description: `Operations of the ${service} service` });
  merged.tags = tags;
}
