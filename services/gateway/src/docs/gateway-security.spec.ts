import type { OpenAPIObject } from '@nestjs/swagger';
import { withGatewaySecurity } from './gateway-security';

const ok = { responses: { '200': { description: 'ok' } } };

const merged: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 'CRM API', version: '1.0.0' },
  paths: {
    '/api/v1/auth/login': { post: { ...ok, security: [{ bearer: [] }] } },
    '/api/v1/auth/jwks': { get: ok },
    '/api/v1/public/forms/{id}/submissions': { post: ok, parameters: [] },
    '/api/v1/users': { get: { ...ok, security: [{ bearer: [] }, { 'api-key': [] }] }, post: { ...ok, security: [] } },
    '/api/v1/reports': { get: { ...ok, security: [{ bearer: ['reports:read'] }, { partnerOAuth: [] }] } },
    '/health/live': { get: ok },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      'api-key': { type: 'apiKey', in: 'header', name: 'x-api-key' },
      partnerOAuth: { type: 'oauth2', flows: {} },
    },
  },
  security: [{ bearer: [] }, { 'api-key': [] }],
};

describe('withGatewaySecurity', () => {
  const secured = withGatewaySecurity(merged);

  it('declares bearerAuth and apiKeyAuth and requires one of them globally', () => {
    expect(secured.components?.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      apiKeyAuth: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      partnerOAuth: { type: 'oauth2', flows: {} },
    });
    expect(secured.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
  });

  it('opens exactly the public allow-list and the unversioned routes', () => {
    expect(secured.paths['/api/v1/auth/login'].post?.security).toEqual([]);
    expect(secured.paths['/api/v1/auth/jwks'].get?.security).toEqual([]);
    expect(secured.paths['/api/v1/public/forms/{id}/submissions'].post?.security).toEqual([]);
    expect(secured.paths['/api/v1/public/forms/{id}/submissions'].parameters).toEqual([]);
    expect(secured.paths['/health/live'].get?.security).toEqual([]);
  });

  it('renames service schemes, and drops a public marking the gateway does not honour', () => {
    expect(secured.paths['/api/v1/users'].get?.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(secured.paths['/api/v1/users'].post).not.toHaveProperty('security');
    expect(secured.paths['/api/v1/reports'].get?.security).toEqual([{ bearerAuth: ['reports:read'] }, { partnerOAuth: [] }]);
  });

  it('leaves the input untouched', () => {
    expect(merged.paths['/api/v1/auth/login'].post?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(merged.components?.securitySchemes ?? {})).toContain('bearer');
  });
});
