import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MoneyDto } from '@crm/platform/api';
import { DATE_PATTERN, INVOICE_STATUSES, type InvoiceStatus } from '../../contracts/dto/contract.dto';

const POSITIVE_MICROS = /^[1-9][0-9]{0,17}$/;

export class InstalmentInputDto {
  @ApiProperty({ example: '2027-03-31' }) @IsString() @Matches(DATE_PATTERN, { message: 'dueDate must be YYYY-MM-DD' }) dueDate!: string;

  @ApiProperty({ example: '30000000000', description: 'Amount due, micros of the contract currency, > 0' })
  @IsString()
  @Matches(POSITIVE_MICROS, { message: 'amountMicros must be a positive integer number of micros as a string' })
  amountMicros!: string;
}

export class PutScheduleDto {
  @ApiProperty({ type: [InstalmentInputDto], minItems: 1, maxItems: 120, description: 'Must add up to the contract amount exactly' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => InstalmentInputDto)
  instalments!: InstalmentInputDto[];

  @ApiPropertyOptional({ description: "The contract's version you read (instead of If-Match)" }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class CreateReceiptDto {
  @ApiProperty({ example: '30000000000', description: 'Money received, micros of the contract currency' })
  @IsString()
  @Matches(POSITIVE_MICROS, { message: 'amount must be a positive integer number of micros as a string' })
  amountMicros!: string;

  @ApiProperty({ example: '2027-03-28T09:30:00Z' }) @IsISO8601({ strict: true }) receivedAt!: string;

  @ApiPropertyOptional({ description: 'Apply it all to this instalment; else to the oldest open ones first' }) @IsOptional() @IsUUID() instalmentId?: string;

  @ApiPropertyOptional({ example: '招商银行 流水号 20270328001', maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) reference?: string;
}

export class AllocationDto {
  @ApiProperty() instalmentId!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
}

export class ReceiptDto {
  @ApiProperty() id!: string;
  @ApiProperty() contractId!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ type: [AllocationDto] }) allocations!: AllocationDto[];
  @ApiProperty({ nullable: true, type: String }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class ReceiptListDto {
  @ApiProperty({ type: [ReceiptDto], description: 'Oldest first' }) items!: ReceiptDto[];
  @ApiProperty({ type: MoneyDto, description: 'Still open on the whole contract' }) open!: MoneyDto;
}

export class InvoiceStatusDto {
  @ApiProperty({ enum: INVOICE_STATUSES.filter((status) => status !== 'none'), description: 'Forward only: requested → issued → sent (steps may be skipped)' })
  @IsIn(INVOICE_STATUSES.filter((status) => status !== 'none'))
  status!: Exclude<InvoiceStatus, 'none'>;

  @ApiPropertyOptional({ example: 'FP-2027-0001', maxLength: 100, description: 'Required from issued on (unless set before)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  invoiceNumber?: string;
}
