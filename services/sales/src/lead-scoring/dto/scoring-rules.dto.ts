import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

const POINTS = { minimum: -100, maximum: 100 };

export class IndustryRuleDto {
  @ApiProperty({ type: [String], example: ['制造业', '信息技术'], description: 'Target industries (case-insensitive)' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  targets!: string[];

  @ApiProperty({ ...POINTS, example: 20, description: 'Points when the industry is a target' })
  @IsInt()
  @Min(-100)
  @Max(100)
  points!: number;

  @ApiProperty({ ...POINTS, example: 0, description: 'Points when the industry is known but not a target' })
  @IsInt()
  @Min(-100)
  @Max(100)
  otherPoints!: number;
}

export class CompanySizeBandDto {
  @ApiProperty({ minimum: 0, example: 200, description: 'Employees, inclusive' })
  @IsInt()
  @Min(0)
  min!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 999, description: 'Employees, inclusive; null or absent: and above' })
  @IsOptional()
  @IsInt()
  @Min(0)
  max?: number | null;

  @ApiProperty({ ...POINTS, example: 20 })
  @IsInt()
  @Min(-100)
  @Max(100)
  points!: number;
}

export class ChannelPointsDto {
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) web_form?: number;
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) event?: number;
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) partner_referral?: number;
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) import?: number;
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) manual?: number;
  @ApiPropertyOptional(POINTS) @IsOptional() @IsInt() @Min(-100) @Max(100) api?: number;
}

export class InteractionsRuleDto {
  @ApiProperty({ ...POINTS, example: 5, description: 'Points per interaction (activities on the lead + repeated captures)' })
  @IsInt()
  @Min(-100)
  @Max(100)
  pointsEach!: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 20, description: 'At most this many points' })
  @IsInt()
  @Min(0)
  @Max(100)
  maxPoints!: number;
}

export class RecencyBandDto {
  @ApiProperty({ minimum: 0, maximum: 3650, example: 7, description: 'Last interaction at most this many days ago' })
  @IsInt()
  @Min(0)
  @Max(3650)
  withinDays!: number;

  @ApiProperty({ ...POINTS, example: 10 })
  @IsInt()
  @Min(-100)
  @Max(100)
  points!: number;
}

/** The tenant's scoring rules, replaced as a whole. */
export class ScoringRulesInputDto {
  @ApiProperty({ type: IndustryRuleDto })
  @ValidateNested()
  @Type(() => IndustryRuleDto)
  industry!: IndustryRuleDto;

  @ApiProperty({ type: [CompanySizeBandDto], description: 'The first band the size falls in counts' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CompanySizeBandDto)
  companySize!: CompanySizeBandDto[];

  @ApiProperty({ type: ChannelPointsDto })
  @ValidateNested()
  @Type(() => ChannelPointsDto)
  channel!: ChannelPointsDto;

  @ApiProperty({ type: InteractionsRuleDto })
  @ValidateNested()
  @Type(() => InteractionsRuleDto)
  interactions!: InteractionsRuleDto;

  @ApiProperty({ type: [RecencyBandDto], description: 'The band with the smallest withinDays that still holds counts' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RecencyBandDto)
  recency!: RecencyBandDto[];

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}

export class ScoringRulesDto extends ScoringRulesInputDto {
  @ApiProperty({ description: '0 while the tenant uses the defaults' })
  declare version: number;

  @ApiProperty({ description: 'True while the tenant has not set its own rules' })
  isDefault!: boolean;
}
