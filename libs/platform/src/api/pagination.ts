import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadRequestError } from '../errors';
import { isUuid } from './ids';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Query strings are text: `?total=true`. Anything else is left for validation to refuse. */
export function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** `?limit=&cursor=&total=`, shared by every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Also count every matching item (costs an extra query)', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  total?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  total?: number;
}

/** Position after the last item of a page: its sort time and id, the tie-breaker. */
export interface CursorPosition {
  at: Date;
  id: string;
}

export class InvalidCursorError extends BadRequestError {
  constructor() {
    super('The cursor is not one this list returned', { code: 'invalid_cursor' });
  }
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const time = typeof at === 'string' ? new Date(at) : undefined;
    if (!time || Number.isNaN(time.getTime()) || typeof id !== 'string' || !isUuid(id)) throw new InvalidCursorError();
    return { at: time, id };
  } catch {
    throw new InvalidCursorError();
  }
}

export interface KeysetOptions {
  /** Sort column and id column as the query names them, e.g. `u.createdAt`, `u.id`. */
  timeColumn: string;
  idColumn: string;
  direction: 'ASC' | 'DESC';
  limit: number;
  cursor?: string;
  total?: boolean;
}

/**
 * Keyset pagination over (time, id): stable under inserts and as fast on page 1,000 as on page 1, given
 * an index ending in those two columns. Times are stored to the millisecond, so a cursor's Date
 * compares exactly. The total, when asked for, counts the filtered query before the cursor applies.
 */
export async function fetchPage<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  options: KeysetOptions,
  position: (entity: E) => CursorPosition,
): Promise<Page<E>> {
  const total = options.total ? await qb.clone().getCount() : undefined;
  if (options.cursor) {
    const after = decodeCursor(options.cursor);
    const comparison = options.direction === 'ASC' ? '>' : '<';
    qb.andWhere(`(${options.timeColumn}, ${options.idColumn}) ${comparison} (:cursorAt, :cursorId)`, { cursorAt: after.at, cursorId: after.id });
  }
  const rows = await qb
    .orderBy(options.timeColumn, options.direction)
    .addOrderBy(options.idColumn, options.direction)
    .limit(options.limit + 1)
    .getMany();
  const items = rows.slice(0, options.limit);
  const nextCursor = rows.length > options.limit ? encodeCursor(position(items[items.length - 1])) : null;
  return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
}

/** The same page with its items mapped to DTOs. */
export function mapPage<E, D>(page: Page<E>, map: (entity: E) => D): Page<D> {
  return { ...page, items: page.items.map(map) };
}
