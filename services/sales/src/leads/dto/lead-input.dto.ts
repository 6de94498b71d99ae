import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@crm/platform/api';
import { LEAD_CHANNELS } from '../../lead-scoring/lead-scoring';
import { LEAD_STATUSES } from '../lead.entity';

/** The lead fields a capture (API or web form) may carry; also what a web form may allow. */
export const LEAD_FORM_FIELDS = ['companyName', 'contactName', 'phone', 'email', 'industry', 'companySize', 'region', 'notes'] as const;
export type LeadFormField = (typeof LEAD_FORM_FIELDS)[number];

export const OPEN_STATUSES_SETTABLE = ['new', 'working', 'qualified'] as const;

/** Standard disqualification reasons; any other text is kept as given. */
export const DISQUALIFY_REASONS = ['no_budget', 'no_need', 'no_authority', 'bad_timing', 'competitor', 'unreachable', 'spam', 'duplicate', 'other'] as const;

/** The contact fields every capture shares (API and web forms). */
export class LeadContactFieldsDto {
  @ApiPropertyOptional({ example: '上海云启科技有限公司', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  companyName?: string;

  @ApiProperty({ example: '李明', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  contactName!: string;

  @ApiPropertyOptional({ example: '138 0013 8000', description: 'Any common format; stored as E.164. Phone or e-mail is required.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ example: 'li.ming@yunqi.cn', description: 'Stored lower-case. Phone or e-mail is required.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '制造业', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional({ example: 250, description: 'Employees' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  companySize?: number;

  @ApiPropertyOptional({ example: '华东', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class CaptureLeadDto extends LeadContactFieldsDto {
  @ApiProperty({ enum: LEAD_CHANNELS })
  @IsIn(LEAD_CHANNELS)
  channel!: (typeof LEAD_CHANNELS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Marketing campaign the lead came from' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Partner who referred the lead' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class ListLeadsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: (typeof LEAD_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: LEAD_CHANNELS })
  @IsOptional()
  @IsIn(LEAD_CHANNELS)
  channel?: (typeof LEAD_CHANNELS)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  minScore?: number;
}

/** Absent fields are kept; null clears an optional one. */
export class UpdateLeadDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  companyName?: string | null;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  contactName?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  companySize?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string | null;

  @ApiPropertyOptional({ enum: OPEN_STATUSES_SETTABLE, description: 'Open statuses only; convert and disqualify have their own endpoints' })
  @IsOptional()
  @IsIn(OPEN_STATUSES_SETTABLE)
  status?: (typeof OPEN_STATUSES_SETTABLE)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Give the lead to another user (manager: a team member; admin: anyone active)' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ConvertLeadDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Link to this existing customer; absent: the lead's matched customer, or a new customer" })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ maxLength: 200, description: "Name of the opportunity; the customer's name when absent" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  opportunityName?: string;

  @ApiPropertyOptional({ type: MoneyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'expectedCloseDate must be a date YYYY-MM-DD' })
  expectedCloseDate?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The default pipeline when absent' })
  @IsOptional()
  @IsUUID()
  pipelineId?: string;
}

export class DisqualifyLeadDto {
  @ApiProperty({ example: 'no_budget', description: `One of ${DISQUALIFY_REASONS.join(', ')}, or free text`, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
