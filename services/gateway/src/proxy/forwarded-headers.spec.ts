import type { IncomingMessage } from 'node:http';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarded-headers';

function incoming(headers: Record<string, string | string[]>, remoteAddress = '203.0.113.7'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const context = { requestId: 'req-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', roles: [], teamIds: [] };

describe('forwardedRequestHeaders', () => {
  it('keeps end-to-end headers and drops hop-by-hop, internal, credential and Connection-listed ones', () => {
    const headers = forwardedRequestHeaders(
      incoming({
        host: 'api.example.com',
        accept: 'application/json',
        authorization: 'Bearer token',
        'x-api-key': 'crm_k_secret',
        'content-length': '12',
        connection: 'keep-alive, x-hop',
        'x-hop': 'one hop only',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'proxy-authorization': 'Basic abc',
        'x-tenant-id': 'forged',
        'x-user-id': 'forged',
        'x-roles': 'admin',
        'x-team-ids': 'all',
        'x-internal-token': 'forged',
        'x-request-id': 'client-id',
      }),
      context,
      {},
    );

    expect(headers).toEqual({
      accept: 'application/json',
      'content-length': '12',
      'x-request-id': 'req-1',
      traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/),
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'api.example.com',
    });
  });

  it('adds the identity the gateway vouches for and extends an existing forwarding chain', () => {
    const headers = forwardedRequestHeaders(
      incoming({ 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.com', 'x-tenant-id': 'forged' }),
      context,
      { 'x-tenant-id': 't-1', 'x-user-id': 'u-1' },
    );

    expect(headers).toMatchObject({
      'x-tenant-id': 't-1',
      'x-user-id': 'u-1',
      'x-forwarded-for': '198.51.100.1, 203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'crm.example.com',
    });
  });
});

describe('forwardedResponseHeaders', () => {
  const raw = (...pairs: string[]): Buffer[] => pairs.map((value) => Buffer.from(value, 'latin1'));

  it('keeps repeated headers, drops hop-by-hop and Connection-listed ones', () => {
    const headers = forwardedResponseHeaders(
      raw(
        'Content-Type', 'application/json',
        'Set-Cookie', 'a=1',
        'Set-Cookie', 'b=2',
        'Connection', 'keep-alive, X-Upstream-Hop',
        'Keep-Alive', 'timeout=5',
        'Transfer-Encoding', 'chunked',
        'X-Upstream-Hop', 'internal',
        'X-Request-Id', 'req-1',
      ),
    );

    expect(headers).toEqual(['content-type', 'application/json', 'set-cookie', 'a=1', 'set-cookie', 'b=2', 'x-request-id', 'req-1']);
  });
});
