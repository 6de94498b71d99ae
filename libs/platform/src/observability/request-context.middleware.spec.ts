import { requestContextFromHeaders } from './request-context.middleware';

describe('requestContextFromHeaders', () => {
  const headers = {
    'x-request-id': 'req-42',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'x-tenant-id': 't-1',
    'x-user-id': 'u-9',
    'x-roles': 'rep, manager,,',
    'x-team-ids': 'team-a,team-b',
  };

  it('reads the identity headers set by the gateway', () => {
    expect(requestContextFromHeaders(headers, { trustIdentityHeaders: true })).toEqual({
      requestId: 'req-42',
      traceparent: headers.traceparent,
      tenantId: 't-1',
      userId: 'u-9',
      roles: ['rep', 'manager'],
      teamIds: ['team-a', 'team-b'],
    });
  });

  it('ignores identity headers where they cannot be trusted', () => {
    expect(requestContextFromHeaders(headers, { trustIdentityHeaders: false })).toEqual({
      requestId: 'req-42',
      traceparent: headers.traceparent,
      roles: [],
      teamIds: [],
    });
  });

  it('replaces missing or unsafe request ids and traceparents', () => {
    const context = requestContextFromHeaders({ 'x-request-id': 'has spaces\nand newlines', traceparent: 'garbage' }, { trustIdentityHeaders: true });

    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(context.tenantId).toBeUndefined();
  });
});
