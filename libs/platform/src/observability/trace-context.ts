import { randomFillSync } from 'node:crypto';

/** W3C Trace Context `traceparent`: version-traceId-parentId-flags, lowercase hex. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZEROS = /^0+$/;

/** The header if it is a valid traceparent (version ff and all-zero ids are invalid by spec). */
export function acceptTraceparent(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match || match[1] === 'ff' || ALL_ZEROS.test(match[2]) || ALL_ZEROS.test(match[3])) return undefined;
  return match[0];
}

/** Starts a new, sampled trace. */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** Same trace, new span: what a hop (the gateway) sends downstream as the parent. */
export function childTraceparent(traceparent: string): string {
  return `${traceparent.slice(0, 36)}${randomHex(8)}${traceparent.slice(52)}`;
}

export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.slice(3, 35);
}

/*
 * Ids are drawn from a pool refilled 4 KiB at a time: one system call per few hundred requests instead
 * of one per id (crypto.randomUUID does the same).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
