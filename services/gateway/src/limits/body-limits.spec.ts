import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { BodyTooLargeError, declaresTooLargeBody, forwardedBody } from './body-limit';
import { BodyLimits, isImportUpload } from './body-limits';

const limits = new BodyLimits({ GATEWAY_MAX_BODY_BYTES: 5_242_880, GATEWAY_MAX_IMPORT_BODY_BYTES: 538_968_064, GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS: 3_600_000 });

function request(method: string, url: string, headers: Record<string, string>, chunks: Buffer[] = []): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.headers = headers;
  for (const chunk of chunks) req.push(chunk);
  req.push(null);
  return req;
}

describe('BodyLimits', () => {
  it('gives exactly POST /api/v1/customers/imports the import limit and a long wait for the answer', () => {
    expect(limits.of('POST', '/api/v1/customers/imports')).toEqual({ maxBytes: 538_968_064, headersTimeoutMs: 3_600_000 });
    expect(limits.of('POST', '/api/v1/customers/imports?dryRun=true')).toEqual({ maxBytes: 538_968_064, headersTimeoutMs: 3_600_000 });
    for (const [method, url] of [
      ['GET', '/api/v1/customers/imports'],
      ['PUT', '/api/v1/customers/imports'],
      ['POST', '/api/v1/customers'],
      ['POST', '/api/v1/customers/batch'],
      ['POST', '/api/v1/customers/imports/8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60/cancel'],
      ['POST', '/api/v1/customers/importsx'],
      ['POST', '/api/v1/imports'],
      ['POST', '/api/v2/customers/imports'],
    ]) {
      expect(isImportUpload(method, url)).toBe(false);
      expect(limits.of(method, url)).toEqual({ maxBytes: 5_242_880 });
    }
  });

  it('lets a declared import upload over the general limit through, and refuses one over its own', () => {
    const { maxBytes } = limits.of('POST', '/api/v1/customers/imports');
    expect(declaresTooLargeBody(request('POST', '/api/v1/customers/imports', { 'content-length': String(200 * 1024 * 1024) }), maxBytes)).toBe(false);
    expect(declaresTooLargeBody(request('POST', '/api/v1/customers/imports', { 'content-length': String(600 * 1024 * 1024) }), maxBytes)).toBe(true);
    expect(declaresTooLargeBody(request('POST', '/api/v1/customers/batch', { 'content-length': String(6 * 1024 * 1024) }), limits.of('POST', '/api/v1/customers/batch').maxBytes)).toBe(true);
  });

  it('streams a chunked import upload, counting against the import limit', async () => {
    const small = new BodyLimits({ GATEWAY_MAX_BODY_BYTES: 10, GATEWAY_MAX_IMPORT_BODY_BYTES: 25, GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS: 1_000 });
    const url = '/api/v1/customers/imports';
    const chunks = [Buffer.alloc(10, 'a'), Buffer.alloc(10, 'b')];
    const body = forwardedBody(request('POST', url, { 'transfer-encoding': 'chunked' }, chunks), small.of('POST', url).maxBytes) as Readable;
    const received: Buffer[] = [];
    for await (const chunk of body) received.push(chunk as Buffer);
    expect(Buffer.concat(received)).toEqual(Buffer.concat(chunks));

    const tooMuch = forwardedBody(request('POST', url, { 'transfer-encoding': 'chunked' }, [...chunks, Buffer.alloc(10, 'c')]), small.of('POST', url).maxBytes) as Readable;
    await expect(
      (async () => {
        for await (const _chunk of tooMuch) void _chunk;
      })(),
    ).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});
