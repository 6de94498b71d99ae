import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CURRENCY_PATTERN, MoneyDto, PageQueryDto } from '@crm/platform/api';

export const CONTRACT_STATUSES = ['draft', 'signed', 'active', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const INVOICE_STATUSES = ['none', 'requested', 'issued', 'sent'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const NON_NEGATIVE_MICROS = /^(0|[1-9][0-9]{0,17})$/;

export class CreateContractDto {
  @ApiProperty({ description: 'A live customer' }) @IsUUID() customerId!: string;

  @ApiProperty({ example: '2027 年度 CRM 订阅合同', maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ example: '120000000000', description: 'Contract value, micros' })
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: 'amountMicros must be a non-negative integer number of micros as a string' })
  amountMicros!: string;

  @ApiProperty({ example: 'CNY' }) @IsString() @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as CNY' }) currency!: string;

  @ApiProperty({ example: '2027-01-01' }) @IsString() @Matches(DATE_PATTERN, { message: 'startDate must be YYYY-MM-DD' }) startDate!: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Last day in force; open-ended when absent' })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: 'endDate must be YYYY-MM-DD' })
  endDate?: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'Terms text' }) @IsOptional() @IsString() @MaxLength(20000) terms?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() opportunityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ description: 'Responsible rep; the caller when absent' }) @IsOptional() @IsUUID() ownerId?: string;
}

export class UpdateContractDto {
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) title?: string;

  @ApiPropertyOptional({ description: 'Only while draft; must still match the schedule' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS)
  amountMicros?: string;

  @ApiPropertyOptional({ description: 'Only while draft' }) @IsOptional() @IsString() @Matches(CURRENCY_PATTERN) currency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(DATE_PATTERN) startDate?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'A new end date gets its own renewal reminder' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(DATE_PATTERN)
  endDate?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(20000) terms?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID() opportunityId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID() orderId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ownerId?: string;

  @ApiPropertyOptional({ enum: CONTRACT_STATUSES, description: 'draft → signed (ContractSigned) → active; signed/active → expired or terminated' })
  @IsOptional()
  @IsIn(CONTRACT_STATUSES)
  status?: ContractStatus;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class ListContractsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ enum: CONTRACT_STATUSES }) @IsOptional() @IsIn(CONTRACT_STATUSES) status?: ContractStatus;
}

export class InstalmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ example: '2027-03-31' }) dueDate!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) received!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'amount − received' }) open!: MoneyDto;
  @ApiProperty({ enum: ['open', 'partially_paid', 'paid'] }) paymentStatus!: 'open' | 'partially_paid' | 'paid';
  @ApiProperty({ enum: INVOICE_STATUSES }) invoiceStatus!: InvoiceStatus;
  @ApiProperty({ nullable: true, type: String }) invoiceNumber!: string | null;
}

export class ContractDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'HT-2026-000042' }) contractNumber!: string;
  @ApiProperty() title!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ nullable: true, type: String }) opportunityId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Received so far' }) received!: MoneyDto;
  @ApiProperty() startDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) terms!: string | null;
  @ApiProperty({ enum: CONTRACT_STATUSES }) status!: ContractStatus;
  @ApiProperty({ nullable: true, type: String }) signedAt!: string | null;
  @ApiProperty({ type: [InstalmentDto], description: 'Payment schedule, by due date' }) instalments!: InstalmentDto[];
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ContractPageDto {
  @ApiProperty({ type: [ContractDto] }) items!: ContractDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional() total?: number;
}
