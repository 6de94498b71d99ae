import type { IncomingMessage } from 'node:http';
import { clientAddress } from './client-address';

function req(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('clientAddress', () => {
  it('is the socket peer unless proxies are trusted', () => {
    expect(clientAddress(req('203.0.113.7', '198.51.100.1'), 0)).toBe('203.0.113.7');
    expect(clientAddress(req('::ffff:203.0.113.7'), 0)).toBe('203.0.113.7');
    expect(clientAddress(req('2001:db8::1'), 0)).toBe('2001:db8::1');
  });

  it('takes the entry the nearest trusted proxy vouches for, ignoring what the client prepended', () => {
    expect(clientAddress(req('10.0.0.2', '6.6.6.6, 198.51.100.1'), 1)).toBe('198.51.100.1');
    expect(clientAddress(req('10.0.0.2', '198.51.100.1, 10.0.0.9'), 2)).toBe('198.51.100.1');
    expect(clientAddress(req('10.0.0.2', '198.51.100.1'), 3)).toBe('198.51.100.1');
  });

  it('falls back to the peer when the proxy sent no usable header', () => {
    expect(clientAddress(req('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2', ' , '), 1)).toBe('10.0.0.2');
  });
});
