import { ROUTE_TABLE, RouteTable } from './route-table';

describe('RouteTable', () => {
  const routes = new RouteTable();

  it.each([
    ['/api/v1/customers', 'customers', 'customers'],
    ['/api/v1/customers/', 'customers', 'customers'],
    ['/api/v1/customers/8f14e45f/contacts?limit=20', 'customers', 'customers'],
    ['/api/v1/privacy/requests/5f0c/archive', 'customers', 'privacy/requests'],
    ['/api/v1/api-keys?cursor=abc', 'identity', 'api-keys'],
    ['/api/v1/me', 'identity', 'me'],
    ['/api/v1/audit-log?cursor=abc', 'identity', 'audit-log'],
    ['/api/v1/leads/1/convert', 'sales', 'leads'],
    ['/api/v1/public/forms/contact-us/submissions', 'sales', 'public/forms'],
    ['/api/v1/public/tickets', 'ticketing', 'public/tickets'],
    ['/api/v1/public/kb/acme/search?q=退货', 'ticketing', 'public/kb'],
    ['/api/v1/public/surveys/abc', 'ticketing', 'public/surveys'],
    ['/api/v1/sla-calendars/7/holidays', 'ticketing', 'sla-calendars'],
    ['/api/v1/sla-policies/7', 'ticketing', 'sla-policies'],
    ['/api/v1/coupons/SPRING/redeem', 'marketing', 'coupons'],
    ['/api/v1/dashboards/sales?range=30d', 'analytics', 'dashboards'],
    ['/api/v1/users/5f0c/handover', 'sales', 'users/*/handover'],
    ['/api/v1/users/5f0c/handover?dryRun=true', 'sales', 'users/*/handover'],
    ['/api/v1/users/5f0c', 'identity', 'users'],
    ['/api/v1/users/5f0c/roles', 'identity', 'users'],
    ['/api/v1/reports/funnel?pipelineId=1', 'sales', 'reports/funnel'],
    ['/api/v1/reports/payment-forecast', 'sales', 'reports/payment-forecast'],
    ['/api/v1/reports/sla', 'ticketing', 'reports/sla'],
    ['/api/v1/reports/revenue', 'analytics', 'reports'],
    ['/api/v1/templates/7/preview', 'sales', 'templates'],
  ])('routes %s to %s', (url, service, resource) => {
    expect(routes.resolve(url)).toMatchObject({ service, resource, template: `/api/v1/${resource}/*` });
  });

  it.each([
    '/api/v1/',
    '/api/v1/unknown',
    '/api/v1/public',
    '/api/v1/public/other',
    '/api/v2/customers',
    '/health/ready',
    '/api/v1/customersx',
    '/api/v1/Customers',
    '/api/v1/customers/../users',
    '/api/v1/customers/%2e%2e/users',
    '/api/v1/./users',
    '/api/v1/internal/api-keys/verify',
  ])('does not route %s', (url) => {
    expect(routes.resolve(url)).toBeUndefined();
  });

  it('does not read the query string as a path', () => {
    expect(routes.resolve('/api/v1/unknown?next=/api/v1/customers')).toBeUndefined();
  });

  it('gives every resource exactly one owner', () => {
    const resources = Object.values(ROUTE_TABLE).flat();

    expect(new Set(resources).size).toBe(resources.length);
    expect(() => new RouteTable({ ...ROUTE_TABLE, sales: [...ROUTE_TABLE.sales, 'customers'] })).toThrow('Resource "customers" is claimed by customers and sales');
  });

  it('takes * only for the middle of three segments', () => {
    expect(() => new RouteTable({ ...ROUTE_TABLE, sales: [...ROUTE_TABLE.sales, 'users/*'] })).toThrow('only the middle of three segments may be *');
  });

  it('never routes the internal service-to-service paths', () => {
    expect(() => new RouteTable({ ...ROUTE_TABLE, identity: [...ROUTE_TABLE.identity, 'internal'] })).toThrow('is internal and cannot be routed');
    expect(() => new RouteTable({ ...ROUTE_TABLE, identity: [...ROUTE_TABLE.identity, 'internal/api-keys'] })).toThrow('is internal and cannot be routed');
  });
});
