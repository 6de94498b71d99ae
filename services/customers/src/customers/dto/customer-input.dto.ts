import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CONSENT_STATUSES,
  CUSTOMER_TYPES,
  LIFECYCLE_STAGES,
  LIMITS,
  VALUE_TIERS,
  type ConsentStatus,
  type CustomerType,
  type LifecycleStage,
  type ValueTier,
} from '../customer-fields';
import { PageQueryDto } from '@crm/platform/api';

/*
 * Structure and size are checked here (class-validator, 400 before anything runs); the meaning of values
 * (phone numbers, e-mail addresses, names, ID numbers, custom fields) is checked by standardisation on
 * every write path, batch items included, so both report problems with the same field paths.
 */

/** Present and not null: for PATCH fields that may be left out but not cleared. */
const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);

/** Room for formatting: `+86 (0)21 6888-8888 ` is longer than its E.164 form. */
const MAX_PHONE_INPUT = 64;
const MAX_EMAIL_INPUT = 320;

export class AddressDto {
  @ApiPropertyOptional({ example: 'office', description: 'What the address is for: office, billing, shipping, ...' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  label?: string;

  @ApiPropertyOptional({ example: 'CN', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsString()
  @MaxLength(2)
  country?: string;

  @ApiPropertyOptional({ example: '上海市' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.addressPart)
  province?: string;

  @ApiPropertyOptional({ example: '上海市' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.addressPart)
  city?: string;

  @ApiPropertyOptional({ example: '浦东新区' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.addressPart)
  district?: string;

  @ApiPropertyOptional({ example: '世纪大道100号' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.addressPart)
  street?: string;

  @ApiPropertyOptional({ example: '200120' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;
}

export class ChannelConsentInputDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES)
  status!: ConsentStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the customer gave or refused consent; now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class ConsentInputDto {
  @ApiPropertyOptional({ type: ChannelConsentInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelConsentInputDto)
  email?: ChannelConsentInputDto;

  @ApiPropertyOptional({ type: ChannelConsentInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelConsentInputDto)
  sms?: ChannelConsentInputDto;

  @ApiPropertyOptional({ type: ChannelConsentInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelConsentInputDto)
  wechat?: ChannelConsentInputDto;

  @ApiPropertyOptional({ type: ChannelConsentInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelConsentInputDto)
  phone?: ChannelConsentInputDto;
}

/**
 * The fields every write may carry. In a PATCH and in a batch update, absent fields keep their value and
 * `null` clears an optional one.
 */
export class CustomerFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Shanghai Example Trading Co., Ltd.', maxLength: LIMITS.name })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  nameEn?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['13800138000', '+86 21 6888 8888'], description: 'Stored in E.164; mainland numbers need no +86' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.contacts)
  @IsString({ each: true })
  @MaxLength(MAX_PHONE_INPUT, { each: true })
  phones?: string[];

  @ApiPropertyOptional({ type: [String], example: ['li.lei@example.cn'], description: 'Stored lower-cased' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.contacts)
  @IsString({ each: true })
  @MaxLength(MAX_EMAIL_INPUT, { each: true })
  emails?: string[];

  @ApiPropertyOptional({ type: [String], example: ['lilei_sh'] })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.contacts)
  @IsString({ each: true })
  @MaxLength(LIMITS.text, { each: true })
  wechatIds?: string[];

  @ApiPropertyOptional({ type: [AddressDto] })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.addresses)
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  addresses?: AddressDto[];

  @ApiPropertyOptional({ type: String, nullable: true, example: '制造业' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  industry?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '华东' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  region?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'expo', description: 'Source channel' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  source?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'An active user in your scope; you when creating without one' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, description: 'prospect when creating without one' })
  @NotNullWhenGiven()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: LifecycleStage;

  @ApiPropertyOptional({ enum: VALUE_TIERS, nullable: true })
  @IsOptional()
  @IsIn(VALUE_TIERS)
  valueTier?: ValueTier | null;

  @ApiPropertyOptional({ default: false })
  @NotNullWhenGiven()
  @IsBoolean()
  keyAccount?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['VIP', '展会'], description: 'Replaces the tags; POST /customers/{id}/tags adds and removes' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: ConsentInputDto, description: 'Channels given change; others keep their status' })
  @NotNullWhenGiven()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentInputDto)
  consent?: ConsentInputDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { contract_level: '金牌' },
    description: 'Values of the tenant\'s custom fields by key (GET /custom-fields); null removes one',
  })
  @NotNullWhenGiven()
  @IsObject()
  customFields?: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, nullable: true, example: '110101199003071234', description: 'Encrypted at rest; shown masked unless you have pii:read and ask ?reveal=pii' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.identifier)
  nationalId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '6222020200112233445', description: 'Encrypted at rest; shown masked like nationalId' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.identifier)
  bankAccount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'ERP-000123', description: 'Your system\'s id; unique per tenant, the key of batch upserts' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.externalId)
  externalId?: string | null;
}

export class CreateCustomerDto extends CustomerFieldsDto {
  @ApiProperty({ enum: CUSTOMER_TYPES })
  @IsIn(CUSTOMER_TYPES)
  type!: CustomerType;

  @ApiProperty({ example: '上海示例贸易有限公司', maxLength: LIMITS.name })
  @IsString()
  @MaxLength(LIMITS.name)
  name!: string;
}

export class UpdateCustomerDto extends CustomerFieldsDto {
  @ApiPropertyOptional({ enum: CUSTOMER_TYPES })
  @NotNullWhenGiven()
  @IsIn(CUSTOMER_TYPES)
  type?: CustomerType;

  @ApiPropertyOptional({ maxLength: LIMITS.name })
  @NotNullWhenGiven()
  @IsString()
  @MaxLength(LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: 'Alternative to If-Match: update only if the customer is still at this version' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** One item of a batch upsert: a customer with `externalId` updates the one with that id, else creates. */
export class BatchCustomerItemDto extends CustomerFieldsDto {
  @ApiPropertyOptional({ enum: CUSTOMER_TYPES, description: 'Required when the item creates a customer' })
  @NotNullWhenGiven()
  @IsIn(CUSTOMER_TYPES)
  type?: CustomerType;

  @ApiPropertyOptional({ maxLength: LIMITS.name, description: 'Required when the item creates a customer' })
  @NotNullWhenGiven()
  @IsString()
  @MaxLength(LIMITS.name)
  name?: string;
}

export const MAX_BATCH_ITEMS = 1_000;

export class BatchUpsertCustomersDto {
  @ApiProperty({
    type: [BatchCustomerItemDto],
    maxItems: MAX_BATCH_ITEMS,
    description: 'Each item is checked on its own: invalid items are reported in the result, the others are written',
  })
  @IsArray()
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsObject({ each: true, message: 'each item must be an object' })
  items!: Array<Record<string, unknown>>;
}

export class TagChangesDto {
  @ApiPropertyOptional({ type: [String], example: ['VIP'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true })
  add?: string[];

  @ApiPropertyOptional({ type: [String], example: ['潜在'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true })
  remove?: string[];
}

export const REVEAL_OPTIONS = ['pii'] as const;

export class GetCustomerQueryDto {
  @ApiPropertyOptional({ enum: REVEAL_OPTIONS, description: '`pii` shows national ID and bank account unmasked (needs pii:read; every such read is recorded)' })
  @IsOptional()
  @IsIn(REVEAL_OPTIONS)
  reveal?: (typeof REVEAL_OPTIONS)[number];
}

const toUpperCase = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

export class ListCustomersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of a name (Chinese or English), phone number (digits, e.g. 0013) or e-mail address', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  stage?: LifecycleStage;

  @ApiPropertyOptional({ enum: VALUE_TIERS })
  @IsOptional()
  @Transform(toUpperCase)
  @IsIn(VALUE_TIERS)
  tier?: ValueTier;

  @ApiPropertyOptional({ example: 'VIP' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.tag)
  tag?: string;

  @ApiPropertyOptional({ example: '华东' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  region?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;
}
