import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto, toBoolean } from '@crm/platform/api';
import { CANDIDATE_STATUSES, DEDUP_MODES, IMPORT_STATUSES, type CandidateStatus, type DedupMode, type ImportStatus } from '../import-job';
import { DEFAULT_UNRESPONSIVE_DAYS } from '../invalid-leads';

export const ENCODING_OPTIONS = ['auto', 'utf-8', 'utf8', 'gbk', 'gb2312', 'gb18030'] as const;

/** The form fields next to the file; multipart values are text, converted here. */
export class ImportOptionsDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(262_144)
  mapping!: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dryRun?: boolean;

  @IsOptional()
  @IsIn(DEDUP_MODES)
  dedupMode?: DedupMode;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  markInvalid?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36_500)
  unresponsiveDays?: number;

  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(ENCODING_OPTIONS)
  encoding?: (typeof ENCODING_OPTIONS)[number];
}

/** The multipart body, for the API document. */
export const IMPORT_UPLOAD_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['file', 'mapping'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'The CSV file: a header row, then one customer per row; UTF-8 (with or without BOM) or GBK/GB18030' },
    mapping: {
      type: 'string',
      description: 'JSON: which columns feed which field (several columns per field fill gaps from each other); see the service README',
      example: JSON.stringify({ fields: { name: ['客户名称', '联系人'], phones: ['手机', '电话', '备用电话'], emails: ['邮箱'], region: ['省份'], externalId: ['客户编号'] }, tags: ['标签'], tagSeparator: '|', customFields: { budget: '预算' }, lastContactColumn: '最后联系' }),
    },
    dryRun: { type: 'boolean', default: false, description: 'Check and count everything, write no customers' },
    dedupMode: { type: 'string', enum: [...DEDUP_MODES], default: 'skip', description: 'Rows matching a customer (same phone, e-mail or externalId): skipped, written over it, or merged into it' },
    markInvalid: { type: 'boolean', default: false, description: 'Tag unreachable and long-unresponsive leads 无效线索 (and the reason) instead of importing them plainly' },
    unresponsiveDays: { type: 'integer', default: DEFAULT_UNRESPONSIVE_DAYS, minimum: 1, description: 'A lead last contacted longer ago than this is long unresponsive' },
    ownerId: { type: 'string', format: 'uuid', description: 'Owner of the customers the import creates; you when absent (the owner rules of every write apply)' },
    encoding: { type: 'string', enum: [...ENCODING_OPTIONS], default: 'auto', description: 'auto: a BOM or valid UTF-8 means UTF-8, anything else GB18030' },
  },
};

export class ImportProgressDto {
  @ApiProperty({ description: 'Bytes of the file read so far' })
  bytesRead!: number;

  @ApiProperty()
  fileBytes!: number;

  @ApiProperty({ description: 'Percent of the file read' })
  percentRead!: number;

  @ApiProperty({ description: 'Data rows read so far' })
  rowsRead!: number;

  @ApiProperty({ description: 'Rows read per second since the job started (to its end, once finished)' })
  rowsPerSecond!: number;

  @ApiProperty({ description: 'Rows whose outcome has been written (applied chunks)' })
  rowsApplied!: number;

  @ApiProperty({ description: 'Percent of the rows applied' })
  percentApplied!: number;
}

/** Every row ends up in exactly one of rejected, inserted, updated, merged and duplicates. */
export class ImportCountsDto {
  @ApiProperty({ description: 'Data rows read' })
  read!: number;

  @ApiProperty({ description: 'Rows that created a customer (one per customer created)' })
  inserted!: number;

  @ApiProperty({ description: 'update mode: rows written over an existing customer or the one an earlier row created' })
  updated!: number;

  @ApiProperty({ description: 'merge mode: rows merged into an existing customer or the one an earlier row created' })
  merged!: number;

  @ApiProperty({ description: 'skip mode: rows skipped because they match an existing customer or an earlier row' })
  duplicates!: number;

  @ApiProperty({ description: 'Rows not imported, listed with their reasons in errors.csv' })
  rejected!: number;

  @ApiProperty({ description: 'Customers imported with the 无效线索 tag (markInvalid)' })
  markedInvalid!: number;
}

export class ImportDuplicateCheckDto {
  @ApiProperty({ enum: CANDIDATE_STATUSES, description: 'The check of imported customers against similar ones, after the import (skipped for dry runs and failed imports)' })
  status!: CandidateStatus;

  @ApiProperty()
  customersChecked!: number;

  @ApiProperty({ description: 'Candidate pairs found (GET /customers/duplicates)' })
  pairsFound!: number;
}

export class ImportJobDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: IMPORT_STATUSES })
  status!: ImportStatus;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ enum: DEDUP_MODES })
  dedupMode!: DedupMode;

  @ApiProperty()
  markInvalid!: boolean;

  @ApiProperty()
  unresponsiveDays!: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Owner of the customers the import creates' })
  ownerId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  fileName!: string | null;

  @ApiProperty({ enum: ['utf-8', 'gb18030'] })
  encoding!: string;

  @ApiProperty({ type: [String], description: "The file's columns" })
  columns!: string[];

  @ApiProperty({ type: ImportProgressDto })
  progress!: ImportProgressDto;

  @ApiProperty({ type: ImportCountsDto, description: 'So far while applying; final once finished' })
  counts!: ImportCountsDto;

  @ApiProperty({ type: ImportDuplicateCheckDto })
  duplicateCheck!: ImportDuplicateCheckDto;

  @ApiProperty({ format: 'uuid' })
  startedBy!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Why the job failed' })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  startedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt!: string | null;

  @ApiProperty({ example: { self: '/api/v1/customers/imports/8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60', errors: '/api/v1/customers/imports/8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60/errors.csv' } })
  links!: { self: string; errors: string };
}

export class ImportJobPageDto {
  @ApiProperty({ type: [ImportJobDto] })
  items!: ImportJobDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class ListImportsQueryDto extends PageQueryDto {}
