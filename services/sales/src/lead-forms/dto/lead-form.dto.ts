import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LEAD_CHANNELS } from '../../lead-scoring/lead-scoring';
import { LEAD_FORM_FIELDS, LeadContactFieldsDto } from '../../leads/dto/lead-input.dto';

export class CreateLeadFormDto {
  @ApiProperty({ example: '官网联系我们', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: LEAD_CHANNELS, default: 'web_form', description: 'The channel its leads are captured with' })
  @IsOptional()
  @IsIn(LEAD_CHANNELS)
  channel?: (typeof LEAD_CHANNELS)[number];

  @ApiProperty({ enum: LEAD_FORM_FIELDS, isArray: true, example: ['contactName', 'phone', 'email', 'companyName'], description: 'Fields the form accepts; contactName and phone or email are required' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(LEAD_FORM_FIELDS.length)
  @IsIn(LEAD_FORM_FIELDS, { each: true })
  fields!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Campaign every lead of this form comes from' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 30, description: 'Submissions per minute the form accepts (all visitors together)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  submissionsPerMinute?: number;
}

export class LeadFormDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The unguessable key of the public URL: POST /api/v1/public/forms/{formKey}/submissions' })
  formKey!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: LEAD_CHANNELS })
  channel!: string;

  @ApiProperty({ enum: LEAD_FORM_FIELDS, isArray: true })
  fields!: string[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  campaignId!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  submissionsPerMinute!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty()
  version!: number;
}

export class LeadFormPageDto {
  @ApiProperty({ type: [LeadFormDto] })
  items!: LeadFormDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

/** What a web page sends: the form's fields, when the visitor started filling it, and the honeypot. */
export class FormSubmissionDto extends LeadContactFieldsDto {
  @ApiProperty({ example: '2026-03-01T08:00:00.000Z', description: 'When the page showed the form (ISO 8601); submissions faster than 2 seconds are treated as bots' })
  @IsISO8601()
  startedAt!: string;

  @ApiPropertyOptional({ description: 'Honeypot: a field hidden from people; it must stay empty' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class SubmissionReceivedDto {
  @ApiProperty({ example: 'received' })
  status!: 'received';
}
