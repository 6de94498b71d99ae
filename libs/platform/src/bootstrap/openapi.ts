import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ServiceDefinition } from './service-definition';

export const API_DOCS_PATH = 'api/docs';
export const API_DOCS_JSON_PATH = 'api/docs-json';
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';
export const API_KEY_HEADER = 'x-api-key';

/** Serves another document than the service's own, e.g. the gateway's merge of every service. */
export interface OpenApiDocumentSource {
  document(own: OpenAPIObject): Promise<OpenAPIObject>;
}

/**
 * The service's own document, built from its controllers and DTOs. Every operation accepts either a
 * bearer token or an API key unless it declares otherwise.
 */
export function buildOpenApiDocument(app: NestExpressApplication, definition: ServiceDefinition): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(definition.name)
    .setVersion(definition.version ?? '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, API_KEY_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /api/docs and the JSON document at /api/docs-json, outside the /api/v1 prefix. */
export function serveOpenApi(app: NestExpressApplication, definition: ServiceDefinition, document: OpenAPIObject): void {
  const source = definition.openApiSource ? app.get(definition.openApiSource) : undefined;
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: API_DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: `${definition.name} API`,
    patchDocumentOnRequest: source ? (_req, _res, own) => source.document(own) : undefined,
  });
}
