import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CURRENCY_PATTERN } from '@crm/platform/api';

/** A positive decimal with up to 12 fraction digits, as a string so no precision is lost. */
export const RATE_PATTERN = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,12})?$/;
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ExchangeRateValueDto {
  @ApiProperty({ example: '7.1234', description: 'Units of the reporting currency for 1 unit of `currency`, a decimal string (up to 12 fraction digits), > 0' })
  @IsString()
  @Matches(RATE_PATTERN, { message: 'rate must be a positive decimal string such as "7.1234"' })
  rate!: string;
}

export class PutExchangeRateDto extends ExchangeRateValueDto {
  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency the rate converts from (not the reporting currency)' })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiProperty({ example: '2026-01-01', description: 'First day (YYYY-MM-DD) the rate is valid; it stays valid until the next rate of the currency' })
  @IsString()
  @Matches(DATE_PATTERN, { message: 'validFrom must be a date YYYY-MM-DD' })
  validFrom!: string;
}

export class ExchangeRateDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 'CNY', description: 'The reporting currency the rate converts to' }) toCurrency!: string;
  @ApiProperty({ example: '7.1234' }) rate!: string;
  @ApiProperty({ example: '2026-01-01' }) validFrom!: string;
  @ApiProperty({ example: '2026-12-31', nullable: true, type: String, description: 'Day the next rate of the currency starts (exclusive end); null for the current rate' })
  validTo!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class ExchangeRateListDto {
  @ApiProperty({ example: 'CNY' }) reportingCurrency!: string;
  @ApiProperty({ type: [ExchangeRateDto], description: 'Rates to the reporting currency, by currency then validFrom' }) items!: ExchangeRateDto[];
}

export class ListExchangeRatesQueryDto {
  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @IsString()
  @Matches(CURRENCY_PATTERN)
  currency?: string;
}

export class SalesSettingsDto {
  @ApiProperty({ example: 'CNY', description: 'Currency reports (sales, payment forecast, pipeline) are in' }) reportingCurrency!: string;
  @ApiProperty({ example: 30, description: 'Days before a signed/active contract ends that its owner gets a renewal task' }) renewalReminderDays!: number;
  @ApiProperty({ example: 1, description: 'Version for If-Match; 0 while the defaults were never changed' }) version!: number;
}

export class UpdateSalesSettingsDto {
  @ApiPropertyOptional({ example: 'CNY' })
  @IsOptional()
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'reportingCurrency must be an ISO 4217 code such as CNY' })
  reportingCurrency?: string;

  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  renewalReminderDays?: number;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}
