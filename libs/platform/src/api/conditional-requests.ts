import { PreconditionFailedError } from '../errors';

/** `ETag` of a versioned resource: its version as a strong entity tag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

const ENTITY_TAG = /^(?:W\/)?"(\d{1,9})"$|^(\d{1,9})$/;

/**
 * The version a conditional update expects, from `If-Match` (`"3"`) or the body's `version`. `*` and
 * an absent header place no condition. An If-Match that is not one of our tags can never match.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number | undefined {
  const header = ifMatch?.trim();
  if (header && header !== '*') {
    const match = ENTITY_TAG.exec(header);
    if (!match) throw new VersionMismatchError();
    return Number(match[1] ?? match[2]);
  }
  return bodyVersion;
}

export function assertVersion(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) throw new VersionMismatchError();
}

export class VersionMismatchError extends PreconditionFailedError {
  constructor() {
    super('The resource changed since you read it; fetch it again and retry with its current version', { code: 'version_mismatch' });
  }
}
