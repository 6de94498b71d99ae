import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsObject, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';
import { CustomerDto } from '../../customers/dto/customer.dto';
import { MERGE_FIELDS } from '../merge-rules';

export const MAX_MERGED_CUSTOMERS = 10;

/** Ids compare in lower case, so `A…` and `a…` are the same customer. */
const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);
const lowerCaseEach = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.toLowerCase() : item)) : value);

export class MergeCustomersDto {
  @ApiProperty({ format: 'uuid', description: 'The customer that stays; the others are merged into it' })
  @Transform(lowerCase)
  @IsUUID()
  survivorId!: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_MERGED_CUSTOMERS, description: 'Distinct, without the survivor' })
  @Transform(lowerCaseEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MERGED_CUSTOMERS)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  mergedIds!: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    example: { name: '0d6f9a3e-7a53-4a8e-9d0c-6f4c1d2b3a41', 'customFields.contract_level': '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d' },
    description: `Field → the customer (survivor or merged) whose value wins, instead of the default rule. Fields: ${MERGE_FIELDS.join(', ')}, or customFields.<key>`,
  })
  @IsOptional()
  @IsObject()
  fieldChoices?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false, description: 'Compute and return the result without writing anything' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class DuplicatePairChangesDto {
  @ApiProperty({ description: "Merged customers' pairs now the survivor's" })
  moved!: number;

  @ApiProperty({ description: 'Pairs that became one customer, or that the survivor already had with the same customer' })
  dropped!: number;
}

export class MergeResultDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a dry run' })
  mergeId!: string | null;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ format: 'uuid' })
  survivorId!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  mergedIds!: string[];

  @ApiProperty({ type: CustomerDto, description: 'The survivor after the merge' })
  customer!: CustomerDto;

  @ApiProperty({ type: [String], example: ['phones', 'nationalId', 'ownerId'], description: "The survivor's fields the merge changed" })
  changedFields!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    example: { nameEn: '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d', 'consent.sms': '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d' },
    description: 'Fields (consent.<channel>, customFields.<key> for parts) whose value came from a merged customer',
  })
  valuesFrom!: Record<string, string>;

  @ApiProperty({ type: DuplicatePairChangesDto })
  duplicatePairs!: DuplicatePairChangesDto;
}

export class CustomerMergeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  survivorId!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  mergedIds!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'uuid' } })
  fieldChoices!: Record<string, string>;

  @ApiProperty({ description: 'The version the merge gave the survivor; an undo needs the survivor still at it' })
  survivorVersion!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  mergedBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  mergedAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  undoneBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  undoneAt!: string | null;

  @ApiProperty({ description: "The customers' data kept for an undo was erased on a privacy request" })
  snapshotsErased!: boolean;

  @ApiPropertyOptional({ type: [CustomerDto], description: 'One merge only: every customer as it was before the merge, survivor first (national ID and bank account masked)' })
  before?: CustomerDto[];
}

export class CustomerMergePageDto {
  @ApiProperty({ type: [CustomerMergeDto] })
  items!: CustomerMergeDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

/** `?customerId=` (survivor or merged customer) plus paging; newest first. */
export class ListMergesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only merges this customer took part in, as survivor or merged' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  customerId?: string;
}

export class MergeUndoResultDto {
  @ApiProperty({ format: 'uuid' })
  mergeId!: string;

  @ApiProperty({ type: CustomerDto, description: 'The survivor as it was before the merge (with a new version)' })
  customer!: CustomerDto;

  @ApiProperty({ type: [CustomerDto], description: 'The merged customers, restored (with new versions)' })
  restored!: CustomerDto[];
}
