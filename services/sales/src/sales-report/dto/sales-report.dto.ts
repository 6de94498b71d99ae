import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { MoneyDto } from '@crm/platform/api';

export const SALES_GROUPINGS = ['owner', 'team', 'product', 'region', 'partner'] as const;
export type SalesGrouping = (typeof SALES_GROUPINGS)[number];

export class SalesReportQueryDto {
  @ApiProperty({ enum: SALES_GROUPINGS }) @IsIn(SALES_GROUPINGS) groupBy!: SalesGrouping;

  @ApiProperty({ example: '2026-Q4', description: 'A month (2026-11), a quarter (2026-Q4) or a year (2026), UTC, by the orders\' placedAt' })
  @IsString()
  @Matches(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, { message: 'period must be YYYY, YYYY-MM or YYYY-Qn' })
  period!: string;
}

export class UnconvertedSalesDto {
  @ApiProperty({ example: 'JPY' }) currency!: string;
  @ApiProperty({ example: '5000000000', description: 'Revenue in that currency, micros: no rate to the reporting currency was valid on the order day' }) amountMicros!: string;
  @ApiProperty() orders!: number;
}

export class SalesFiguresDto {
  @ApiProperty({ description: 'Orders placed, paid or fulfilled in the period (drafts and cancelled ones never count)' }) orders!: number;
  @ApiProperty({ type: MoneyDto, description: 'Order totals (product: line totals less their share of the order discount), in the reporting currency' }) revenue!: MoneyDto;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'revenue / converted orders' }) averageDealSize!: MoneyDto | null;
  @ApiProperty({ type: MoneyDto, description: 'Revenue of lines whose unit cost is known' }) costedRevenue!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Revenue of lines without a known cost (not in the margin)' }) revenueWithoutCost!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'costedRevenue − cost' }) margin!: MoneyDto;
  @ApiProperty({ nullable: true, type: Number, example: 0.35, description: 'margin / costedRevenue; null without costed revenue' }) marginRate!: number | null;
  @ApiProperty({ type: [UnconvertedSalesDto] }) unconverted!: UnconvertedSalesDto[];
}

export class SalesGroupDto extends SalesFiguresDto {
  @ApiProperty({ nullable: true, type: String, description: 'Owner/team/partner id, region, or product id (sku:<sku> / name:<name> for lines without a product); null: none (no team, unknown region, direct)' })
  key!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Owner name, product name' }) label!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Product category (groupBy=product)' }) category?: string | null;
}

export class SalesReportDto {
  @ApiProperty({ example: 'CNY' }) reportingCurrency!: string;
  @ApiProperty({ example: '2026-Q4' }) period!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: SALES_GROUPINGS }) groupBy!: SalesGrouping;
  @ApiProperty({ type: [SalesGroupDto], description: 'By revenue, highest first' }) groups!: SalesGroupDto[];
  @ApiProperty({ type: SalesFiguresDto, description: 'Every order once (an owner in two teams counts in both teams, once here)' }) totals!: SalesFiguresDto;
}
