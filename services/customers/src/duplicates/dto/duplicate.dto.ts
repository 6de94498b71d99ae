import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';

export const DUPLICATE_STATUSES = ['open', 'dismissed'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];

export const SCAN_STATUSES = ['running', 'completed', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** A customer a write looks like: in the create response and batch results. */
export class PossibleDuplicateDto {
  @ApiProperty({ format: 'uuid', description: 'The other customer' })
  id!: string;

  @ApiProperty({ description: '1 for a sure match (same phone or e-mail), else the name similarity (0–1)' })
  score!: number;

  @ApiProperty({ type: [String], example: ['same_phone:+8613800138000', 'similar_name:0.82', 'same_region'] })
  reasons!: string[];
}

export class DuplicateCustomerSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;

  @ApiProperty({ enum: ['person', 'company'] })
  type!: string;

  @ApiProperty({ type: [String] })
  phones!: string[];

  @ApiProperty({ type: [String] })
  emails!: string[];

  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty({ type: String, nullable: true })
  industry!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  ownerId!: string | null;
}

export class DuplicatePairDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: '1 for a sure match, else the name similarity (0–1)' })
  score!: number;

  @ApiProperty({ type: [String] })
  reasons!: string[];

  @ApiProperty({ enum: DUPLICATE_STATUSES })
  status!: DuplicateStatus;

  @ApiProperty({ format: 'date-time' })
  detectedAt!: string;

  @ApiProperty({ type: DuplicateCustomerSummaryDto, description: 'The side with the lower id' })
  customerA!: DuplicateCustomerSummaryDto;

  @ApiProperty({ type: DuplicateCustomerSummaryDto })
  customerB!: DuplicateCustomerSummaryDto;
}

export class DuplicatePairPageDto {
  @ApiProperty({ type: [DuplicatePairDto] })
  items!: DuplicatePairDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

/** `?minScore=&status=` plus paging; highest score first. */
export class ListDuplicatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  minScore?: number;

  @ApiPropertyOptional({ enum: DUPLICATE_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(DUPLICATE_STATUSES)
  status?: DuplicateStatus;
}

export class DuplicateScanDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: SCAN_STATUSES, description: 'failed also when the service stopped during the scan' })
  status!: ScanStatus;

  @ApiProperty({ description: 'Live customers of the tenant when the scan started' })
  customersTotal!: number;

  @ApiProperty()
  customersScanned!: number;

  @ApiProperty({ description: 'Open pairs found or confirmed (dismissed pairs are not counted)' })
  pairsFound!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt!: string | null;
}
