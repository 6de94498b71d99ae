import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { request } from 'undici';

/**
 * POSTs a file and form fields as multipart/form-data, streaming the file from disk (the body is never
 * in memory), with its exact Content-Length. Returns the status and the parsed JSON answer.
 */
export async function uploadMultipart(
  url: string,
  headers: Record<string, string>,
  file: { path: string; name: string; field: string },
  fields: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const boundary = `----crm-bench-${randomBytes(12).toString('hex')}`;
  const head =
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + statSync(file.path).size + Buffer.byteLength(tail);
  async function* body(): AsyncIterable<Buffer> {
    yield Buffer.from(head);
    yield* createReadStream(file.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    yield Buffer.from(tail);
  }
  const response = await request(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
    body: Readable.from(body()),
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? JSON.parse(text) : null };
}
