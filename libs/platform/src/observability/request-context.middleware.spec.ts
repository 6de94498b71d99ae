import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentContext, type RequestContext } from '../database/request-context';
import { requestContextFromHeaders, requestContextMiddleware, type RequestContextMiddlewareOptions } from './request-context.middleware';

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

describe('requestContextMiddleware', () => {
  const headers = { 'x-request-id': 'req-7', 'x-tenant-id': 't-1', 'x-user-id': 'u-9', 'x-roles': 'admin' };

  function contextSeen(options: RequestContextMiddlewareOptions): RequestContext | undefined {
    const echoed: Record<string, unknown> = {};
    const res = { setHeader: (name: string, value: unknown) => (echoed[name] = value) } as unknown as ServerResponse;
    let seen: RequestContext | undefined;
    requestContextMiddleware(options)({ headers } as unknown as IncomingMessage, res, () => (seen = currentContext()));
    expect(echoed['x-request-id']).toBe('req-7');
    return seen;
  }

  it('reads identity headers only for requests whose credential verified', () => {
    expect(contextSeen({ identityVerified: () => true })).toMatchObject({ tenantId: 't-1', userId: 'u-9', roles: ['admin'] });
    expect(contextSeen({ identityVerified: () => false })).toEqual({ requestId: 'req-7', traceparent: expect.any(String), roles: [], teamIds: [] });
  });

  it('never reads them without a verifier (the gateway)', () => {
    expect(contextSeen({})).toEqual({ requestId: 'req-7', traceparent: expect.any(String), roles: [], teamIds: [] });
  });
});
