import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { MoneyDto } from '@crm/platform/api';
import { PERIOD_PATTERN } from '../../quotas/quota-period';

export class ForecastQueryDto {
  @ApiProperty({ example: '2026-Q4', description: 'Month 2026-11, quarter 2026-Q4 or year 2026' })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be a month (2026-11), a quarter (2026-Q4) or a year (2026)' })
  period!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this team's members and this team" })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this owner' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 80, description: 'Open opportunities in stages of at least this probability (or in contract_signed) are commit' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  commitThreshold?: number;
}

export class ForecastFiguresDto {
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'The quota for the period (converted to the reporting currency); null when none is set or it has no rate' })
  quota!: MoneyDto | null;

  @ApiProperty({ type: MoneyDto, description: 'Won with close time in the period' })
  closedWon!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'Open, expected to close in the period, in a commit stage (probability ≥ threshold or contract_signed); full amount' })
  commit!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'Open, expected to close in the period, any stage; full amount (includes commit)' })
  bestCase!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'Open, expected to close in the period, each weighted by its stage probability' })
  pipeline!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'closedWon + commit' })
  commitForecast!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'closedWon + bestCase' })
  bestCaseForecast!: MoneyDto;

  @ApiProperty({ type: Number, nullable: true, example: 0.45, description: 'closedWon / quota; null without a quota' })
  attainment!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 0.8, description: 'commitForecast / quota; null without a quota' })
  commitAttainment!: number | null;

  @ApiProperty({ type: [MoneyDto], description: 'Amounts of opportunities in currencies without a rate, per currency (in none of the figures)' })
  unconverted!: MoneyDto[];
}

export class OwnerForecastDto extends ForecastFiguresDto {
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;

  @ApiProperty({ type: String, nullable: true, example: '王销售' })
  ownerName!: string | null;
}

export class TeamForecastDto extends ForecastFiguresDto {
  @ApiProperty({ format: 'uuid' })
  teamId!: string;
}

export class ForecastReportDto {
  @ApiProperty({ example: '2026-Q4' })
  period!: string;

  @ApiProperty({ example: '2026-10-01' })
  from!: string;

  @ApiProperty({ example: '2027-01-01', description: 'Exclusive' })
  to!: string;

  @ApiProperty({ example: 'CNY', description: "The tenant's reporting currency: won amounts at the rate of their close date, open ones and quotas at today's" })
  currency!: string;

  @ApiProperty({ example: 80 })
  commitThreshold!: number;

  @ApiProperty({ type: [OwnerForecastDto], description: 'Per owner (with opportunities or a quota in the period)' })
  owners!: OwnerForecastDto[];

  @ApiProperty({ type: [TeamForecastDto], description: "Per team whose members' figures you may all see (admin: every team, manager: their teams); the team's own quota" })
  teams!: TeamForecastDto[];

  @ApiProperty({ type: ForecastFiguresDto, description: 'Everything in the report; quota = the sum of the owners’ quotas' })
  total!: ForecastFiguresDto;
}
