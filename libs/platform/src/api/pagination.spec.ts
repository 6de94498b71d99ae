import { decodeCursor, encodeCursor, InvalidCursorError } from './pagination';
import { etagOf, expectedVersion, VersionMismatchError } from './conditional-requests';

describe('cursors', () => {
  it('round-trip a position to the millisecond', () => {
    const position = { at: new Date('2025-03-01T08:30:15.123Z'), id: '8d0c7a4e-1b2f-4c3d-9e8f-0a1b2c3d4e5f' };

    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'garbage', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2025-01-01T00:00:00Z","not-a-uuid"]').toString('base64url')])(
    'refuses %j as a cursor with 400',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
    },
  );
});

describe('conditional updates', () => {
  it('read the expected version from If-Match, or else the body', () => {
    expect(expectedVersion('"3"', undefined)).toBe(3);
    expect(expectedVersion('W/"4"', 9)).toBe(4);
    expect(expectedVersion(undefined, 5)).toBe(5);
    expect(expectedVersion('*', undefined)).toBeUndefined();
    expect(expectedVersion(undefined, undefined)).toBeUndefined();
    expect(etagOf(7)).toBe('"7"');
  });

  it('never match an entity tag that is not ours', () => {
    expect(() => expectedVersion('"abc"', undefined)).toThrow(VersionMismatchError);
  });
});
