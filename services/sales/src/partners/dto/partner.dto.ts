import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@crm/platform/api';
import { PERIOD_FORMAT } from '../partner-period';

export const PARTNER_KINDS = ['distributor', 'reseller', 'agent', 'referral'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const PARTNER_STATUSES = ['active', 'inactive'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];
export const PARTNER_GROUPS = ['partner', 'region', 'product'] as const;
export type PartnerGroup = (typeof PARTNER_GROUPS)[number];

const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);
const PERIOD_MESSAGE = 'period must be a year (2026), a quarter (2026-Q4) or a month (2026-11)';

class PartnerFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '华东' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '张经理' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contactName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '+8613800138000' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  contactPhone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'zhang@partner.cn' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  contactEmail?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 10_000, example: 500, description: 'Commission in basis points (500 = 5%)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  commissionRateBp?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5_000 })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  notes?: string | null;
}

export class CreatePartnerDto extends PartnerFieldsDto {
  @ApiProperty({ example: '上海某某渠道有限公司', description: 'Unique in the tenant (case-insensitive)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: PARTNER_KINDS })
  @IsIn(PARTNER_KINDS)
  kind!: PartnerKind;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;
}

export class UpdatePartnerDto extends PartnerFieldsDto {
  @ApiPropertyOptional()
  @NotNullWhenGiven()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @NotNullWhenGiven()
  @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES })
  @NotNullWhenGiven()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional({ description: 'The version you read, instead of If-Match' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  version?: number;
}

export class PartnerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: PARTNER_KINDS })
  kind!: string;

  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contactName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contactPhone!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contactEmail!: string | null;

  @ApiProperty({ enum: PARTNER_STATUSES })
  status!: string;

  @ApiProperty({ type: Number, nullable: true })
  commissionRateBp!: number | null;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PartnerPageDto {
  @ApiProperty({ type: [PartnerDto] })
  items!: PartnerDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class ListPartnersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @IsOptional()
  @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES })
  @IsOptional()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;
}

export class SetPartnerQuotaDto {
  @ApiProperty({ type: MoneyDto, description: "In the tenant's reporting currency" })
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;
}

export class PartnerQuotaDto {
  @ApiProperty({ example: '2026-Q4' })
  period!: string;

  @ApiProperty({ example: '2026-10-01' })
  periodStart!: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last day (inclusive)' })
  periodEnd!: string;

  @ApiProperty({ type: MoneyDto })
  amount!: MoneyDto;
}

export class PeriodQueryDto {
  @ApiProperty({ example: '2026-Q4', description: 'A year (2026), a quarter (2026-Q4) or a month (2026-11)' })
  @Matches(PERIOD_FORMAT, { message: PERIOD_MESSAGE })
  period!: string;
}

export class PartnerReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: PARTNER_GROUPS, default: 'partner' })
  @IsOptional()
  @IsIn(PARTNER_GROUPS)
  groupBy: PartnerGroup = 'partner';
}

export class UnconvertedAmountDto {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: '1000000000' })
  amountMicros!: string;
}

export class PartnerFiguresDto {
  @ApiProperty({ description: 'Orders through the partner(s) placed in the period, not cancelled' })
  orders!: number;

  @ApiProperty({ type: MoneyDto, description: 'Their totals in the reporting currency' })
  revenue!: MoneyDto;

  @ApiProperty({ type: [UnconvertedAmountDto], description: 'Amounts without an exchange rate, by currency (not in revenue)' })
  unconverted!: UnconvertedAmountDto[];

  @ApiProperty({ description: 'Leads the partner(s) referred in the period' })
  referralLeads!: number;

  @ApiProperty({ description: 'Of those, converted' })
  convertedReferralLeads!: number;
}

export class PartnerAttainmentDto extends PartnerFiguresDto {
  @ApiProperty({ format: 'uuid' })
  partnerId!: string;

  @ApiProperty({ example: '2026-Q4' })
  period!: string;

  @ApiProperty({ type: MoneyDto, nullable: true })
  quota!: MoneyDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 87.5, description: 'revenue / quota in percent (one decimal); null without a quota in the reporting currency' })
  attainment!: number | null;
}

export class PartnerReportRowDto {
  @ApiProperty({ example: 'partner', description: 'What the row is: partner, region or product' })
  groupBy!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Partner id, region, or product id (sku or line name when the line has no product)' })
  key!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Partner name, region, or product name' })
  label!: string | null;

  @ApiProperty()
  orders!: number;

  @ApiProperty({ type: MoneyDto })
  revenue!: MoneyDto;

  @ApiProperty({ type: [UnconvertedAmountDto] })
  unconverted!: UnconvertedAmountDto[];

  @ApiPropertyOptional({ description: 'Product rows: units sold' })
  quantity?: string;

  @ApiPropertyOptional({ description: 'Partner and region rows' })
  referralLeads?: number;

  @ApiPropertyOptional({ description: 'Partner and region rows' })
  convertedReferralLeads?: number;

  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Partner and region rows: sum of quotas of the period' })
  quota?: MoneyDto | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Partner and region rows' })
  attainment?: number | null;
}

export class PartnerReportDto {
  @ApiProperty({ example: '2026-Q4' })
  period!: string;

  @ApiProperty({ enum: PARTNER_GROUPS })
  groupBy!: string;

  @ApiProperty({ example: 'CNY' })
  reportingCurrency!: string;

  @ApiProperty({ type: [PartnerReportRowDto], description: 'By revenue, highest first' })
  rows!: PartnerReportRowDto[];
}
