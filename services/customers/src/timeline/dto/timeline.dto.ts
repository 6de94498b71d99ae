import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';
import { TIMELINE_FAMILIES, TIMELINE_TYPE_NAMES, TIMELINE_TYPES } from '../timeline-types';

const TYPE_FILTERS = [...TIMELINE_TYPE_NAMES, ...TIMELINE_FAMILIES];
const SOURCES = [...new Set(Object.values(TIMELINE_TYPES))];

/** `?type=order&type=ticket.opened` and `?type=order,ticket.opened` alike. */
function toList({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (Array.isArray(value)) return value.flatMap((item) => toList({ value: item }) as unknown[]);
  return value;
}

export class ListTimelineQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: [String],
    enum: TYPE_FILTERS,
    description: 'Entry types (`order.placed`) or families (`order`); repeat the parameter or separate with commas',
  })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(TYPE_FILTERS.length)
  @IsIn(TYPE_FILTERS, { each: true })
  type?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries that happened at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries that happened before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'uuid', description: 'The id of the event the entry records' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ enum: TIMELINE_TYPE_NAMES })
  type!: string;

  @ApiProperty({ enum: SOURCES, description: 'The service the event came from' })
  source!: string;

  @ApiProperty({ example: 'Order SO-2024-000123 placed: 1280.00 CNY' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, description: 'More text, e.g. an activity note or a survey comment' })
  summary!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The order, ticket, opportunity, ... the entry is about' })
  referenceId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The user who did it, when known' })
  actorId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Details by type (the figures of the event)' })
  data!: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] })
  items!: TimelineEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}
