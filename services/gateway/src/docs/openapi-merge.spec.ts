import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApiDocuments } from './openapi-merge';

function document(title: string, extra: Partial<OpenAPIObject>): OpenAPIObject {
  return { openapi: '3.0.0', info: { title, version: '1.0.0' }, paths: {}, ...extra };
}

const money = { type: 'object', properties: { amountMicros: { type: 'string' }, currency: { type: 'string' } } };
const problem = { type: 'object', properties: { code: { type: 'string' } } };

const gateway = document('gateway', {
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, 'api-key': { type: 'apiKey', in: 'header', name: 'x-api-key' } },
  },
  security: [{ bearer: [] }, { 'api-key': [] }],
});

const sales = document('sales', {
  paths: {
    '/api/v1/orders': {
      post: {
        tags: ['orders'],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateOrderDto' } } } },
        responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Money' } } } } },
      },
    },
  },
  components: {
    schemas: {
      CreateOrderDto: { type: 'object', properties: { total: { $ref: '#/components/schemas/Money' } } },
      Money: money,
      ProblemDetailsDto: problem,
    },
  },
  tags: [{ name: 'orders', description: 'Sales orders' }],
});

const marketing = document('marketing', {
  paths: {
    '/api/v1/coupons': {
      get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Money' } } } } } },
    },
  },
  components: {
    schemas: {
      Money: { type: 'object', properties: { cents: { type: 'integer' } } },
      ProblemDetailsDto: problem,
    },
  },
});

describe('mergeOpenApiDocuments', () => {
  const merged = mergeOpenApiDocuments(
    { service: 'gateway', document: gateway },
    [
      { service: 'sales', document: sales },
      { service: 'marketing', document: marketing },
    ],
    ['ticketing'],
  ) as OpenAPIObject & Record<string, unknown>;

  it('is one OpenAPI 3 document with every service path and the gateway security', () => {
    expect(merged.openapi).toBe('3.0.0');
    expect(Object.keys(merged.paths).sort()).toEqual(['/api/v1/coupons', '/api/v1/orders']);
    expect(merged.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
    expect(Object.keys(merged.components?.securitySchemes ?? {})).toEqual(['bearer', 'api-key']);
  });

  it('prefixes colliding component names with their service and rewrites references', () => {
    const schemas = merged.components?.schemas ?? {};

    expect(schemas['sales.Money']).toEqual(money);
    expect(schemas['marketing.Money']).toEqual({ type: 'object', properties: { cents: { type: 'integer' } } });
    expect(schemas.Money).toBeUndefined();
    expect(schemas.CreateOrderDto).toEqual({ type: 'object', properties: { total: { $ref: '#/components/schemas/sales.Money' } } });
    const couponSchema = (merged.paths['/api/v1/coupons'].get?.responses['200'] as { content: Record<string, { schema: unknown }> }).content['application/json'].schema;
    expect(couponSchema).toEqual({ $ref: '#/components/schemas/marketing.Money' });
  });

  it('keeps identical definitions once, under their own name', () => {
    expect(merged.components?.schemas?.ProblemDetailsDto).toEqual(problem);
    expect(merged.components?.schemas?.['sales.ProblemDetailsDto']).toBeUndefined();
  });

  it('tags untagged operations with their service, keeps existing tags and marks the owner', () => {
    expect(merged.paths['/api/v1/orders'].post?.tags).toEqual(['orders']);
    expect(merged.paths['/api/v1/coupons'].get?.tags).toEqual(['marketing']);
    expect(merged.paths['/api/v1/coupons'].get).toMatchObject({ 'x-service': 'marketing' });
    expect(merged.tags?.map((tag) => tag.name)).toEqual(['orders', 'marketing']);
  });

  it('lists the services whose documents are missing', () => {
    expect(merged['x-unavailable-services']).toEqual(['ticketing']);
  });

  it('leaves the input documents untouched', () => {
    expect((sales.components?.schemas?.CreateOrderDto as { properties: { total: unknown } }).properties.total).toEqual({ $ref: '#/components/schemas/Money' });
    expect(marketing.paths['/api/v1/coupons'].get?.tags).toBeUndefined();
  });
});
