import { isUtf8 } from 'node:buffer';
import type { Transform } from 'node:stream';
import iconv from 'iconv-lite';

/** What a file is decoded as: UTF-8 (with or without BOM), or GB18030, which reads GBK and GB2312 too. */
export const IMPORT_ENCODINGS = ['utf-8', 'gb18030'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/** The names a caller may give in `encoding`; GB18030 is a superset of GBK and GB2312. */
const ENCODING_NAMES: Record<string, ImportEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  cp936: 'gb18030',
};

export function encodingNamed(name: string): ImportEncoding | undefined {
  return ENCODING_NAMES[name.trim().toLowerCase()];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Watches a file go by, chunk after chunk, and tells its encoding at the end: a UTF-8 byte order mark
 * means UTF-8; a file that is valid UTF-8 throughout is UTF-8 (GBK text of any length almost never
 * is); anything else is read as GB18030. Constant memory: a character split between two chunks is
 * carried over (at most 3 bytes).
 */
export class EncodingSniffer {
  private carry: Buffer = Buffer.alloc(0);
  private seen = 0;
  private bom = false;
  private valid = true;

  push(chunk: Buffer): void {
    if (this.seen < UTF8_BOM.length) this.checkBom(chunk);
    this.seen += chunk.length;
    if (!this.valid) return;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(bytes);
    this.valid = isUtf8(bytes.subarray(0, bytes.length - tail));
    this.carry = Buffer.from(bytes.subarray(bytes.length - tail));
  }

  /** The encoding of everything pushed. */
  result(): ImportEncoding {
    if (this.bom) return 'utf-8';
    return this.valid && this.carry.length === 0 ? 'utf-8' : 'gb18030';
  }

  private checkBom(chunk: Buffer): void {
    for (let i = 0; i < chunk.length && this.seen + i < UTF8_BOM.length; i++) {
      if (chunk[i] !== UTF8_BOM[this.seen + i]) return;
      if (this.seen + i === UTF8_BOM.length - 1) this.bom = true;
    }
  }
}

/**
 * How many bytes at the end of `bytes` begin a UTF-8 sequence that the next chunk completes: a lead
 * byte (and its continuation bytes so far) announcing more bytes than there are.
 */
export function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * The transform turning the file's bytes into text for the CSV parser, or undefined for UTF-8, which the
 * parser reads directly (dropping a byte order mark).
 */
export function decoderFor(encoding: ImportEncoding): Transform | undefined {
  return encoding === 'gb18030' ? (iconv.decodeStream('gb18030') as unknown as Transform) : undefined;
}
