import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { PayloadTooLargeError } from '@crm/platform/errors';

/** 413, and the connection is closed after it: the rest of an oversized body is not worth reading. */
export class BodyTooLargeError extends PayloadTooLargeError {
  readonly headers = { connection: 'close' };

  constructor(maxBytes: number) {
    super(`The request body is larger than the ${maxBytes} bytes the API accepts`, { code: 'payload_too_large' });
  }
}

/** A declared Content-Length over the limit is refused before anything is sent upstream. */
export function declaresTooLargeBody(req: IncomingMessage, maxBytes: number): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > maxBytes;
}

/**
 * What to send upstream as the body: nothing, the request itself when its length was declared (and
 * checked), or, for chunked bodies, a stream that counts and fails with BodyTooLargeError at the limit.
 */
export function forwardedBody(req: IncomingMessage, maxBytes: number): Readable | null {
  const length = req.headers['content-length'];
  if (length !== undefined) return length === '0' ? null : req;
  // Requests without a length or chunked encoding have no body; passing the stream would make undici wait for one.
  if (req.headers['transfer-encoding'] === undefined) return null;
  return Readable.from(limitedBody(req, maxBytes), { objectMode: false });
}

async function* limitedBody(req: IncomingMessage, maxBytes: number): AsyncIterable<Buffer> {
  let received = 0;
  // Not destroyed when the limit stops the loop: that would close the socket before the 413 is sent.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw new BodyTooLargeError(maxBytes);
    yield chunk;
  }
}
