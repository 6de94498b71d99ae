import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { decoderFor, type ImportEncoding } from './csv-encoding';

/** One data row of a file: its number (1 = the first row after the header) and its cells, or why it could not be read. */
export type CsvRecord = { rowNo: number; cells: string[] } | { rowNo: number; malformed: string };

/**
 * Lenient, as files from old systems need: rows may have fewer or more cells than the header, a stray
 * quote inside an unquoted cell is kept, blank lines are skipped, a byte order mark is dropped. A row
 * that still cannot be read (an unclosed quote) is reported and skipped rather than failing the file.
 */
const PARSE_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  max_record_size: 1_048_576,
};

/** Reads a file as text in its encoding; `onBytes` hears how many bytes of the file have been read. */
function textOf(path: string, encoding: ImportEncoding, onBytes?: (bytes: number) => void): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let counted: Readable = file;
  if (onBytes) {
    let bytes = 0;
    counted = file.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          onBytes(bytes);
          callback(null, chunk);
        },
      }),
    );
    file.once('error', (error) => counted.destroy(error));
  }
  const decoder = decoderFor(encoding);
  if (!decoder) return counted;
  counted.once('error', (error) => decoder.destroy(error));
  return counted.pipe(decoder);
}

/** The header row, trimmed; empty when the file has no rows at all. */
export async function readHeader(path: string, encoding: ImportEncoding): Promise<string[]> {
  const text = textOf(path, encoding);
  const parser = text.pipe(parse({ ...PARSE_OPTIONS, to_line: 1_000 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record.map((cell) => cell.trim());
    return [];
  } finally {
    parser.destroy();
    text.destroy();
  }
}

/** The data rows after the header, in order, as a stream (constant memory). */
export async function* readRecords(path: string, encoding: ImportEncoding, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRecord> {
  const skipped: string[] = [];
  const text = textOf(path, encoding, onBytes);
  const parser = text.pipe(
    parse({
      ...PARSE_OPTIONS,
      on_skip: (error) => {
        skipped.push(error?.message ?? 'the row could not be read');
        return undefined;
      },
    }),
  );
  text.once('error', (error) => parser.destroy(error));
  let rowNo = 0;
  let header = true;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      while (skipped.length > 0) yield { rowNo: ++rowNo, malformed: skipped.shift() as string };
      if (header) {
        header = false;
        continue;
      }
      yield { rowNo: ++rowNo, cells };
    }
    while (skipped.length > 0) yield { rowNo: ++rowNo, malformed: skipped.shift() as string };
  } finally {
    parser.destroy();
    text.destroy();
  }
}
