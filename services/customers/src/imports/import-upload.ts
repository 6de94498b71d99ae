import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { BadRequestError } from '@crm/platform/errors';
import { EncodingSniffer, type ImportEncoding } from './csv-encoding';
import { ImportFileTooLargeError, NotMultipartError } from './import.errors';

/** A file received and on disk, with the form's other fields. */
export interface ReceivedUpload {
  path: string;
  bytes: number;
  fileName: string | null;
  /** UTF-8 when the file had a BOM or was valid UTF-8 throughout, else GB18030. */
  sniffedEncoding: ImportEncoding;
  fields: Record<string, string>;
}

export interface UploadLimits {
  dir: string;
  maxBytes: number;
}

/** Room for the form's other fields (mapping, options) and the multipart framing. */
const FORM_OVERHEAD_BYTES = 1_048_576;
const FILE_FIELD = 'file';

/**
 * Streams a multipart upload's `file` to a new file in `dir` (constant memory: busboy hands over chunks
 * and the write stream's back pressure paces the socket) and collects the other fields. The encoding is
 * sniffed on the way. Refuses a body that is not multipart (415) and a file over the limit (413, then
 * the connection is closed rather than the rest read); nothing is left on disk when it fails.
 */
export async function receiveUpload(req: IncomingMessage, res: ServerResponse, limits: UploadLimits): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) throw new NotMultipartError();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes + FORM_OVERHEAD_BYTES) throw refuse(res, limits.maxBytes);
  await mkdir(limits.dir, { recursive: true });
  const target = path.join(limits.dir, `${randomUUID()}.csv`);

  const fields: Record<string, string> = {};
  const sniffer = new EncodingSniffer();
  let received: { bytes: number; fileName: string | null; written: Promise<unknown> } | undefined;
  let tooLarge = false;
  let problem: Error | undefined;

  const parser = busboy({ headers: req.headers, limits: { files: 1, fields: 30, fieldSize: FORM_OVERHEAD_BYTES / 2, fileSize: limits.maxBytes } });
  // Not `pipeline(req, parser)`: a failure would destroy the request's socket before the 413 is sent.
  let stop: () => void = () => undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.once('close', resolve);
    parser.once('error', reject);
    req.once('aborted', () => reject(new Error('the client went away')));
    // Stops reading the request; busboy is left as it is (destroying it in its own event breaks it).
    stop = () => {
      req.unpipe(parser);
      resolve();
    };
  });
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) problem ??= new BadRequestError(`The form field ${name} is too long`, { code: 'field_too_long' });
    else fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== FILE_FIELD || received) {
      problem ??= new BadRequestError(`Send one CSV file, in the form field \`${FILE_FIELD}\``, { code: 'unexpected_file' });
      stream.resume();
      return;
    }
    let bytes = 0;
    stream.once('limit', () => {
      tooLarge = true;
      stream.resume();
      stop();
    });
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        sniffer.push(chunk);
        callback(null, chunk);
      },
    });
    const written = pipeline(stream as Readable, tap, createWriteStream(target)).then(
      () => undefined,
      (error: unknown) => error,
    );
    received = {
      fileName: info.filename ?? null,
      written,
      get bytes() {
        return bytes;
      },
    };
  });
  parser.on('filesLimit', () => {
    problem ??= new BadRequestError(`Send one CSV file, in the form field \`${FILE_FIELD}\``, { code: 'unexpected_file' });
  });
  req.pipe(parser);

  let failure: unknown;
  try {
    await parsed;
  } catch (error) {
    failure = error;
  }
  if (!tooLarge) failure ??= await received?.written;
  if (failure !== undefined || tooLarge || problem || !received) {
    await rm(target, { force: true });
    if (tooLarge) throw refuse(res, limits.maxBytes);
    if (problem) throw problem;
    if (failure !== undefined) throw new BadRequestError(`The upload could not be read: ${(failure as Error).message}`, { code: 'malformed_upload' });
    throw new BadRequestError(`The CSV file is missing: send it in the form field \`${FILE_FIELD}\``, { code: 'file_required' });
  }
  return { path: target, bytes: received.bytes, fileName: received.fileName, sniffedEncoding: sniffer.result(), fields };
}

/** 413, and the connection closes after the answer: the rest of an oversized body is not worth reading. */
function refuse(res: ServerResponse, maxBytes: number): ImportFileTooLargeError {
  if (!res.headersSent) res.setHeader('connection', 'close');
  return new ImportFileTooLargeError(maxBytes);
}
