import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@crm/platform/api';
import { PERIOD_PATTERN } from '../quota-period';

const PERIOD_MESSAGE = 'period must be a month (2026-11), a quarter (2026-Q4) or a year (2026)';

export class QuotaInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: "A rep's quota (or teamId)" })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A team's quota (or ownerId)" })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiProperty({ example: '2026-Q4', description: 'Month 2026-11, quarter 2026-Q4 or year 2026' })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;
}

export class PutQuotasDto {
  @ApiProperty({ type: [QuotaInputDto], description: 'Quotas to set (created or replaced per subject and period), up to 1,000' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => QuotaInputDto)
  items!: QuotaInputDto[];
}

export class ListQuotasQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-Q4' })
  @IsOptional()
  @IsString()
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ enum: ['user', 'team'] })
  @IsOptional()
  @IsIn(['user', 'team'])
  kind?: 'user' | 'team';
}

export class QuotaDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  teamId!: string | null;

  @ApiProperty({ example: '2026-Q4' })
  period!: string;

  @ApiProperty({ example: '2026-10-01' })
  periodStart!: string;

  @ApiProperty({ example: '2027-01-01', description: 'Exclusive' })
  periodEnd!: string;

  @ApiProperty({ type: MoneyDto })
  amount!: MoneyDto;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class QuotaPageDto {
  @ApiProperty({ type: [QuotaDto] })
  items!: QuotaDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class QuotaListDto {
  @ApiProperty({ type: [QuotaDto] })
  items!: QuotaDto[];
}
