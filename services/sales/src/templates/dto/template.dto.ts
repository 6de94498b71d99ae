import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';

export const TEMPLATE_KINDS = ['email', 'sms', 'wechat', 'call_script'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const TEMPLATE_LOCALES = ['zh-CN', 'en'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];
export const TEMPLATE_LIMITS = { name: 200, description: 2_000, subject: 500, body: 20_000, variables: 50 } as const;
const VARIABLE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);

export class TemplateVariantDto {
  @ApiProperty({ enum: TEMPLATE_LOCALES })
  @IsIn(TEMPLATE_LOCALES)
  locale!: TemplateLocale;

  @ApiPropertyOptional({ type: String, nullable: true, example: '{{customer.name}}，您的报价单', description: 'E-mails only (required there)' })
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_LIMITS.subject)
  subject?: string | null;

  @ApiProperty({ example: '尊敬的{{customer.name}}：我是{{owner.name}}，报价金额为{{opportunity.amount}}。' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEMPLATE_LIMITS.body)
  body!: string;
}

class TemplateFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: TEMPLATE_LIMITS.description })
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_LIMITS.description)
  description?: string | null;
}

export class CreateTemplateDto extends TemplateFieldsDto {
  @ApiProperty({ example: '报价跟进邮件', maxLength: TEMPLATE_LIMITS.name, description: 'Unique in the tenant (case-insensitive)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEMPLATE_LIMITS.name)
  name!: string;

  @ApiProperty({ enum: TEMPLATE_KINDS })
  @IsIn(TEMPLATE_KINDS)
  kind!: TemplateKind;

  @ApiProperty({ type: [String], example: ['customer.name', 'owner.name', 'opportunity.amount'], description: 'Every placeholder of the text must be declared here' })
  @IsArray()
  @ArrayMaxSize(TEMPLATE_LIMITS.variables)
  @Matches(VARIABLE_PATTERN, { each: true, message: 'each variable must be a dotted name such as customer.name' })
  variables!: string[];

  @ApiProperty({ type: [TemplateVariantDto], description: 'One per locale' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TEMPLATE_LOCALES.length)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariantDto)
  variants!: TemplateVariantDto[];
}

export class UpdateTemplateDto extends TemplateFieldsDto {
  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.name })
  @NotNullWhenGiven()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEMPLATE_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_LIMITS.variables)
  @Matches(VARIABLE_PATTERN, { each: true, message: 'each variable must be a dotted name such as customer.name' })
  variables?: string[];

  @ApiPropertyOptional({ type: [TemplateVariantDto], description: 'Replaces every variant' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TEMPLATE_LOCALES.length)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariantDto)
  variants?: TemplateVariantDto[];

  @ApiPropertyOptional({ description: 'The version you read, instead of If-Match' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  version?: number;
}

export class PreviewTemplateDto {
  @ApiProperty({ enum: TEMPLATE_LOCALES })
  @IsIn(TEMPLATE_LOCALES)
  locale!: TemplateLocale;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] }, example: { 'customer.name': '云启科技', 'opportunity.amount': '12,500.00' } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false, description: 'Render placeholders without a value as empty text (listed in missing) instead of answering 422' })
  @IsOptional()
  @IsBoolean()
  allowMissing?: boolean;

  @ApiPropertyOptional({ minimum: 1, description: 'A published version; the working copy when absent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  publishedVersion?: number;
}

export class TemplatePreviewDto {
  @ApiProperty({ enum: TEMPLATE_LOCALES })
  locale!: string;

  @ApiProperty({ type: String, nullable: true })
  subject!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty({ type: [String], description: 'Placeholders rendered empty (allowMissing)' })
  missing!: string[];
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TEMPLATE_KINDS })
  kind!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: [String] })
  variables!: string[];

  @ApiProperty({ type: [TemplateVariantDto] })
  variants!: TemplateVariantDto[];

  @ApiProperty({ enum: ['draft', 'published'], description: 'draft until first published' })
  status!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The latest published version' })
  publishedVersion!: number | null;

  @ApiProperty({ description: 'The working copy differs from the latest published version (or none is published)' })
  hasUnpublishedChanges!: boolean;

  @ApiProperty({ description: 'Edit version (ETag)' })
  version!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TemplatePageDto {
  @ApiProperty({ type: [TemplateDto] })
  items!: TemplateDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class PublishedTemplateVersionDto {
  @ApiProperty()
  publishedVersion!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TEMPLATE_KINDS })
  kind!: string;

  @ApiProperty({ type: [String] })
  variables!: string[];

  @ApiProperty({ type: [TemplateVariantDto] })
  variants!: TemplateVariantDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  publishedBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;
}

export class ListTemplatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TEMPLATE_KINDS })
  @IsOptional()
  @IsIn(TEMPLATE_KINDS)
  kind?: TemplateKind;

  @ApiPropertyOptional({ enum: ['draft', 'published'] })
  @IsOptional()
  @IsIn(['draft', 'published'])
  status?: 'draft' | 'published';

  @ApiPropertyOptional({ enum: TEMPLATE_LOCALES, description: 'Templates with a variant in this locale' })
  @IsOptional()
  @IsIn(TEMPLATE_LOCALES)
  locale?: TemplateLocale;
}

