import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { MoneyDto } from '@crm/platform/api';

export class FunnelQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Default: the tenant's default pipeline" })
  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-10-01T00:00:00Z', description: 'Opportunities opened at or after (the cohort); default: no lower bound' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'Opportunities opened before; default: no upper bound' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this owner's opportunities (within your scope)" })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the opportunities of this team's members (within your scope)" })
  @IsOptional()
  @IsUUID()
  teamId?: string;
}

export class FunnelStageDto {
  @ApiProperty({ example: 'proposal' })
  key!: string;

  @ApiProperty({ example: '方案报价' })
  name!: string;

  @ApiProperty({ enum: ['open', 'won', 'lost'] })
  kind!: string;

  @ApiProperty({ example: 60 })
  probability!: number;

  @ApiProperty({ description: 'Opportunities of the cohort in this stage now (won/lost: closed as such)' })
  count!: number;

  @ApiProperty({ type: MoneyDto, description: 'Their amount, in the reporting currency' })
  amount!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'amount × probability / 100' })
  weightedAmount!: MoneyDto;

  @ApiProperty({ type: [MoneyDto], description: 'Amounts without an exchange rate to the reporting currency, per currency (not in amount)' })
  unconverted!: MoneyDto[];

  @ApiProperty({ description: 'Opportunities of the cohort that ever entered this stage' })
  entered!: number;

  @ApiProperty({ description: 'Of those, how many later reached a later stage or were won' })
  advanced!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.5, description: 'advanced / entered (0–1); null when none entered; null for won/lost' })
  conversionRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.25, description: 'Average days an opportunity spent in the stage, over those that left it (all stays summed)' })
  averageDaysInStage!: number | null;
}

export class FunnelReportDto {
  @ApiProperty({ format: 'uuid' })
  pipelineId!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  to!: string | null;

  @ApiProperty({ example: 'CNY', description: "The tenant's reporting currency; amounts converted at today's rates" })
  currency!: string;

  @ApiProperty({ description: 'Opportunities in the cohort (opened in [from, to))' })
  opened!: number;

  @ApiProperty({ type: [FunnelStageDto], description: 'Open stages in order, then won, then lost' })
  stages!: FunnelStageDto[];

  @ApiProperty({ type: Number, nullable: true, example: 0.4, description: 'won / (won + lost) of the cohort; null when none closed' })
  winRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 31.5, description: 'Average days from opened to won' })
  averageCycleDays!: number | null;
}
