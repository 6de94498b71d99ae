import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_STATUSES, CUSTOMER_TYPES, LIFECYCLE_STAGES, VALUE_TIERS } from '../customer-fields';
import { PossibleDuplicateDto } from '../../duplicates/dto/duplicate.dto';
import { AddressDto } from './customer-input.dto';

export class ChannelConsentDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  status!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  at!: string | null;
}

export class ConsentDto {
  @ApiProperty({ type: ChannelConsentDto })
  email!: ChannelConsentDto;

  @ApiProperty({ type: ChannelConsentDto })
  sms!: ChannelConsentDto;

  @ApiProperty({ type: ChannelConsentDto })
  wechat!: ChannelConsentDto;

  @ApiProperty({ type: ChannelConsentDto })
  phone!: ChannelConsentDto;
}

export class CustomerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CUSTOMER_TYPES })
  type!: string;

  @ApiProperty({ example: '上海示例贸易有限公司' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;

  @ApiProperty({ type: [String], example: ['+8613800138000'], description: 'E.164' })
  phones!: string[];

  @ApiProperty({ type: [String] })
  emails!: string[];

  @ApiProperty({ type: [String] })
  wechatIds!: string[];

  @ApiProperty({ type: [AddressDto] })
  addresses!: AddressDto[];

  @ApiProperty({ type: String, nullable: true })
  industry!: string | null;

  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty({ type: String, nullable: true })
  source!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerId!: string | null;

  @ApiProperty({ enum: LIFECYCLE_STAGES })
  lifecycleStage!: string;

  @ApiProperty({ enum: VALUE_TIERS, nullable: true })
  valueTier!: string | null;

  @ApiProperty()
  keyAccount!: boolean;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ type: ConsentDto })
  consent!: ConsentDto;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { contract_level: '金牌' } })
  customFields!: Record<string, string | number>;

  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1101**********1234', description: 'Masked unless piiRevealed' })
  nationalId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6222***********3445', description: 'Masked unless piiRevealed' })
  bankAccount!: string | null;

  @ApiProperty({ description: 'Whether nationalId and bankAccount are shown unmasked (?reveal=pii with pii:read)' })
  piiRevealed!: boolean;

  @ApiProperty({ description: 'Send as If-Match (or `version`) to update only this version' })
  version!: number;

  @ApiPropertyOptional({ type: [PossibleDuplicateDto], description: 'Create only: existing customers this one looks like (reported, never merged)' })
  possibleDuplicates?: PossibleDuplicateDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a privacy request erased the personal data (the record stays, anonymised, and can no longer be changed); null otherwise',
  })
  erasedAt!: string | null;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] })
  items!: CustomerDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class FieldProblemDto {
  @ApiProperty({ example: 'phones[1]', description: 'Path of the value in the item' })
  field!: string;

  @ApiProperty({ example: 'invalid_phone' })
  code!: string;

  @ApiProperty({ example: '"12345" is not a valid phone number: not a number in use for its country, or wrong length' })
  message!: string;
}

export const BATCH_ITEM_STATUSES = ['created', 'updated', 'unchanged', 'invalid', 'failed'] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

export class BatchItemResultDto {
  @ApiProperty({ description: 'Position of the item in the request' })
  index!: number;

  @ApiProperty({ enum: BATCH_ITEM_STATUSES, description: 'invalid: see problems, nothing written; failed: not written, retry the item' })
  status!: BatchItemStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  id?: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiPropertyOptional()
  version?: number;

  @ApiPropertyOptional({ type: [FieldProblemDto] })
  problems?: FieldProblemDto[];

  @ApiPropertyOptional({ type: [PossibleDuplicateDto], description: 'Created and updated items: customers this one looks like' })
  possibleDuplicates?: PossibleDuplicateDto[];
}

export class BatchSummaryDto {
  @ApiProperty()
  created!: number;

  @ApiProperty()
  updated!: number;

  @ApiProperty()
  unchanged!: number;

  @ApiProperty()
  invalid!: number;

  @ApiProperty()
  failed!: number;
}

export class BatchResultDto {
  @ApiProperty({ type: [BatchItemResultDto], description: 'One result per item, in request order' })
  items!: BatchItemResultDto[];

  @ApiProperty({ type: BatchSummaryDto })
  summary!: BatchSummaryDto;
}

export class PiiAccessDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', description: 'The user who saw the unmasked values' })
  actorId!: string;

  @ApiProperty({ type: [String], example: ['nationalId', 'bankAccount'] })
  fields!: string[];

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class PiiAccessPageDto {
  @ApiProperty({ type: [PiiAccessDto] })
  items!: PiiAccessDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}
