import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The archive route in the gateway's own API document: no service serves it, so no service documents
 * it, and clients still find it next to the privacy requests.
 */
export function withPrivacyArchiveRoute(document: OpenAPIObject): OpenAPIObject {
  const problem = { description: 'Problem details', content: { 'application/problem+json': { schema: { type: 'object' } } } };
  return {
    ...document,
    paths: {
      ...document.paths,
      '/api/v1/privacy/requests/{id}/archive': {
        get: {
          tags: ['privacy'],
          summary: "The export archive of a privacy request: the customer's data from every service, as a JSON attachment",
          description:
            'Composed by the gateway from each service holding customer data. `complete` is false when a deployed service was unavailable ' +
            '(its part says why); once delivered, the request is completed. Needs privacy:manage.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': {
              description: '`{requestId, customerId, generatedAt, complete, services: {<service>: {status: included, sections} | {status: unavailable, detail} | {status: not_deployed}}}`',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '403': problem,
            '404': problem,
            '409': { ...problem, description: 'Not an export request (not_an_export_request)' },
            '503': problem,
          },
        },
      },
    },
  };
}
