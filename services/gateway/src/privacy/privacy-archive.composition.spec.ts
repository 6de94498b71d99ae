import type { UpstreamService } from '../routes/route-table';
import { archiveRequestId } from './customer-data-services';
import { archiveChunks, deliveryReport, toServicePart, type ServicePart } from './privacy-archive.composition';

describe('privacy archive composition', () => {
  const header = { requestId: 'r-1', customerId: 'c-1', generatedAt: '2025-03-14T09:26:53.589Z' };
  const parts = (entries: Array<[UpstreamService, ServicePart]>) => new Map(entries);

  it('writes one JSON document, complete when every deployed service is in it', () => {
    const archive = JSON.parse(
      [...archiveChunks(header, parts([['customers', { status: 'included', sections: [{ name: 'customer', data: { name: '张三' } }] }], ['sales', { status: 'not_deployed' }]]))].join(''),
    );
    expect(archive).toEqual({
      ...header,
      complete: true,
      services: { customers: { status: 'included', sections: [{ name: 'customer', data: { name: '张三' } }] }, sales: { status: 'not_deployed' } },
    });
  });

  it('is incomplete when a deployed service is unavailable, and reports only deployed services', () => {
    const composed = parts([
      ['customers', { status: 'included', sections: [] }],
      ['sales', { status: 'unavailable', detail: 'The sales service is not reachable' }],
      ['ticketing', { status: 'not_deployed' }],
    ]);
    expect(JSON.parse([...archiveChunks(header, composed)].join('')).complete).toBe(false);
    expect(deliveryReport(composed)).toEqual({
      complete: false,
      services: [
        { service: 'customers', status: 'included' },
        { service: 'sales', status: 'unavailable', detail: 'The sales service is not reachable' },
      ],
    });
  });

  it("takes a service's answer only if it is that service's {service, sections}", () => {
    expect(toServicePart('sales', { service: 'sales', sections: [{ name: 'orders', data: [] }] })).toEqual({ status: 'included', sections: [{ name: 'orders', data: [] }] });
    expect(toServicePart('sales', { service: 'marketing', sections: [] })).toMatchObject({ status: 'unavailable' });
    expect(toServicePart('sales', { sections: 'none' })).toMatchObject({ status: 'unavailable' });
    expect(toServicePart('sales', undefined)).toMatchObject({ status: 'unavailable' });
  });

  it('answers GET /api/v1/privacy/requests/{id}/archive itself, and nothing else', () => {
    expect(archiveRequestId('GET', '/api/v1/privacy/requests/5f0c-1/archive')).toBe('5f0c-1');
    expect(archiveRequestId('GET', '/api/v1/privacy/requests/5f0c-1/archive?download=1')).toBe('5f0c-1');
    expect(archiveRequestId('POST', '/api/v1/privacy/requests/5f0c-1/archive')).toBeUndefined();
    expect(archiveRequestId('GET', '/api/v1/privacy/requests/5f0c-1')).toBeUndefined();
    expect(archiveRequestId('GET', '/api/v1/privacy/requests/a/b/archive')).toBeUndefined();
  });
});
