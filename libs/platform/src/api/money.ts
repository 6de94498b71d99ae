import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** ISO 4217 alphabetic code: three upper-case letters (CNY, USD, EUR, …). */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** Integer micros, optionally negative (refunds, credit notes), as a decimal string: JSON numbers lose precision past 2^53. */
export const AMOUNT_MICROS_PATTERN = /^-?(0|[1-9][0-9]{0,17})$/;

/** An amount of money: integer micros (1 CNY = 1,000,000 micros) of an ISO 4217 currency. */
export class MoneyDto {
  @ApiProperty({ example: '1250000000', description: 'Integer micros of the currency as a decimal string (1250000000 = 1,250.00)' })
  @IsString()
  @Matches(AMOUNT_MICROS_PATTERN, { message: 'amountMicros must be an integer number of micros as a string, e.g. "1250000000" for 1,250.00' })
  amountMicros!: string;

  @ApiProperty({ example: 'CNY', description: 'ISO 4217 currency code' })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code of three upper-case letters, e.g. CNY' })
  currency!: string;
}

/** The API shape of an amount kept as micros (bigint, or the string PostgreSQL returns for bigint/numeric). */
export function toMoney(micros: bigint | string | number, currency: string): MoneyDto {
  return { amountMicros: BigInt(micros).toString(), currency };
}
