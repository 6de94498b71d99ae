import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';
import { PRIVACY_REQUEST_REASONS, PRIVACY_REQUEST_TYPES, type PrivacyRequestReason, type PrivacyRequestType } from '../privacy-request.entity';

export const REQUEST_STATUSES = ['pending', 'overdue', 'completed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const SERVICE_STATUSES = ['pending', 'overdue', 'completed', 'failed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreatePrivacyRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  customerId!: string;

  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES, description: 'export: a JSON archive of everything held about the customer (GET …/archive); erasure: anonymise or delete it everywhere' })
  @IsIn(PRIVACY_REQUEST_TYPES)
  type!: PrivacyRequestType;

  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_REASONS, default: 'data_subject_request', description: 'Why; a closed list, so the audit record never holds free text about a person' })
  @IsOptional()
  @IsIn(PRIVACY_REQUEST_REASONS)
  reason?: PrivacyRequestReason;

  @ApiPropertyOptional({ example: 'zhang.san@example.cn', maxLength: 200, description: 'How the data subject asked (e-mail, phone, letter reference); cleared when their data is erased' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requestedBy?: string;
}

export class ListPrivacyRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'overdue: pending longer than the services are given to answer' })
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_TYPES })
  @IsOptional()
  @IsIn(PRIVACY_REQUEST_TYPES)
  type?: PrivacyRequestType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

export class PrivacyRequestServiceDto {
  @ApiProperty({ example: 'customers' })
  service!: string;

  @ApiProperty({ enum: SERVICE_STATUSES, description: 'overdue: still pending after the time services are given to answer' })
  status!: ServiceStatus;

  @ApiProperty({ type: Number, nullable: true, description: 'Erasure: records the service anonymised or deleted' })
  recordsAffected!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' })
  detail!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  completedAt!: string | null;
}

export class PrivacyRequestDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES })
  type!: PrivacyRequestType;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ enum: REQUEST_STATUSES, description: 'completed: every service answered (erasure) or the archive was delivered (export)' })
  status!: RequestStatus;

  @ApiProperty({ enum: PRIVACY_REQUEST_REASONS })
  reason!: PrivacyRequestReason;

  @ApiProperty({ type: String, nullable: true })
  requestedBy!: string | null;

  @ApiProperty({ format: 'uuid', description: 'The user who recorded the request' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'After this, services that have not answered show as overdue' })
  dueAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  completedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '/api/v1/privacy/requests/5f0c…/archive', description: 'Export: where the gateway serves the archive' })
  archiveUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Export: when the archive was last delivered' })
  deliveredAt!: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Export: whether the last archive had every service' })
  archiveComplete!: boolean | null;

  @ApiProperty({ type: [PrivacyRequestServiceDto] })
  services!: PrivacyRequestServiceDto[];
}

export class PrivacyRequestPageDto {
  @ApiProperty({ type: [PrivacyRequestDto] })
  items!: PrivacyRequestDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export const DELIVERED_STATUSES = ['included', 'unavailable'] as const;

export class DeliveredServiceDto {
  @ApiProperty({ example: 'sales' })
  @IsString()
  @Matches(/^[a-z]+$/)
  service!: string;

  @ApiProperty({ enum: DELIVERED_STATUSES })
  @IsIn(DELIVERED_STATUSES)
  status!: (typeof DELIVERED_STATUSES)[number];

  @ApiPropertyOptional({ example: 'not reachable' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  detail?: string;
}

/** The gateway's report that it delivered an export archive. */
export class ArchiveDeliveryDto {
  @ApiProperty({ description: 'Whether every service holding customer data is in the archive' })
  @IsBoolean()
  complete!: boolean;

  @ApiProperty({ type: [DeliveredServiceDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeliveredServiceDto)
  services!: DeliveredServiceDto[];
}
