import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { MoneyDto } from '@crm/platform/api';
import { DATE_PATTERN } from '../../contracts/dto/contract.dto';

export const OVERDUE_BUCKETS = ['1-30', '31-60', '61-90', '90+'] as const;
export type OverdueBucket = (typeof OVERDUE_BUCKETS)[number];

export class PaymentForecastQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'First due date of the expected receipts (inclusive)' })
  @IsString()
  @Matches(DATE_PATTERN, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2027-04-30', description: 'Last due date of the expected receipts (inclusive)' })
  @IsString()
  @Matches(DATE_PATTERN, { message: 'to must be YYYY-MM-DD' })
  to!: string;

  @ApiPropertyOptional({ description: "One owner's instalments (within your scope)" }) @IsOptional() @IsUUID() ownerId?: string;

  @ApiPropertyOptional({ example: '2026-11-23', description: 'Day overdue is counted at; today (UTC) when absent' })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: 'asOf must be YYYY-MM-DD' })
  asOf?: string;
}

export class UnconvertedAmountDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '1000000000', description: 'Micros of that currency (no rate valid at the due date)' }) amountMicros!: string;
  @ApiProperty() instalments!: number;
}

export class ForecastMonthDto {
  @ApiProperty({ example: '2026-12' }) month!: string;
  @ApiProperty({ type: MoneyDto, description: 'Open instalment amounts due that month, in the reporting currency' }) expected!: MoneyDto;
  @ApiProperty() instalments!: number;
  @ApiProperty({ type: [UnconvertedAmountDto] }) unconverted!: UnconvertedAmountDto[];
}

export class OverdueBucketDto {
  @ApiProperty({ enum: OVERDUE_BUCKETS, description: 'Days past due' }) bucket!: OverdueBucket;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty() instalments!: number;
  @ApiProperty({ type: [UnconvertedAmountDto] }) unconverted!: UnconvertedAmountDto[];
}

export class OverdueInstalmentDto {
  @ApiProperty() instalmentId!: string;
  @ApiProperty() contractId!: string;
  @ApiProperty() contractNumber!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty({ enum: OVERDUE_BUCKETS }) bucket!: OverdueBucket;
  @ApiProperty({ type: MoneyDto, description: 'Open amount in the contract currency' }) open!: MoneyDto;
}

export class OverdueDto {
  @ApiProperty({ type: MoneyDto, description: 'Open amounts of instalments past due at asOf (any due date), in the reporting currency' }) total!: MoneyDto;
  @ApiProperty() instalments!: number;
  @ApiProperty({ type: [OverdueBucketDto], description: '1-30, 31-60, 61-90, 90+ days past due' }) buckets!: OverdueBucketDto[];
  @ApiProperty({ type: [UnconvertedAmountDto] }) unconverted!: UnconvertedAmountDto[];
  @ApiProperty({ type: [OverdueInstalmentDto], description: 'The 100 longest overdue instalments' }) oldest!: OverdueInstalmentDto[];
}

export class OwnerForecastDto {
  @ApiProperty() ownerId!: string;
  @ApiProperty({ type: MoneyDto }) expected!: MoneyDto;
  @ApiProperty({ type: [ForecastMonthDto] }) months!: ForecastMonthDto[];
  @ApiProperty({ type: MoneyDto }) overdue!: MoneyDto;
  @ApiProperty({ type: [OverdueBucketDto] }) overdueBuckets!: OverdueBucketDto[];
}

export class PaymentForecastDto {
  @ApiProperty({ example: 'CNY' }) reportingCurrency!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: MoneyDto, description: 'Sum of months' }) expected!: MoneyDto;
  @ApiProperty({ type: [ForecastMonthDto], description: 'Every month from..to, empty ones included' }) months!: ForecastMonthDto[];
  @ApiProperty({ type: OverdueDto }) overdue!: OverdueDto;
  @ApiProperty({ type: [OwnerForecastDto], description: 'Per owner, by expected + overdue, highest first' }) owners!: OwnerForecastDto[];
}
