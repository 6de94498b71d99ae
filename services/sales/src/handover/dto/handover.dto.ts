import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';

export class HandoverMatchDto {
  @ApiPropertyOptional({ example: '华东', description: "The customer's region (as the customers service has it), exact" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional({ example: '制造业', description: "The customer's industry, exact" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  industry?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  customerIds?: string[];
}

export class HandoverRuleDto {
  @ApiProperty({ type: HandoverMatchDto, description: 'Every given criterion must match; at least one is required' })
  @ValidateNested()
  @Type(() => HandoverMatchDto)
  match!: HandoverMatchDto;

  @ApiProperty({ format: 'uuid', description: 'An active user other than the leaving one' })
  @IsUUID()
  toUserId!: string;
}

export class StartHandoverDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Takes everything no rule covers; absent hands customers to the shared pool' })
  @IsOptional()
  @IsUUID()
  toUserId?: string;

  @ApiPropertyOptional({ type: [HandoverRuleDto], description: 'Customers (and the work about them) by rule; the first matching rule wins' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => HandoverRuleDto)
  rules?: HandoverRuleDto[];

  @ApiPropertyOptional({ default: false, description: 'Count what would move without moving anything or emitting events' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class MovedCountDto {
  @ApiProperty({ example: 'tasks', description: 'leads, opportunities, contracts, tasks, … (one per part of sales that owns work)' })
  kind!: string;

  @ApiProperty()
  count!: number;
}

export class HandoverCustomersDto {
  @ApiProperty({ description: "Customers the leaving user owns (the customers service re-assigns them from the event)" })
  owned!: number;

  @ApiProperty({ description: 'Of those, the ones a rule assigned' })
  assignedByRules!: number;
}

export class HandoverReportDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a dry run' })
  id!: string | null;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ format: 'uuid' })
  fromUserId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  toUserId!: string | null;

  @ApiProperty({ type: [HandoverRuleDto] })
  rules!: HandoverRuleDto[];

  @ApiProperty({ type: [MovedCountDto], description: 'What moved (or would move) per kind of work' })
  moved!: MovedCountDto[];

  @ApiProperty({ type: HandoverCustomersDto })
  customers!: HandoverCustomersDto;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  handedOverBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  handedOverAt!: string;
}

export class HandoverPageDto {
  @ApiProperty({ type: [HandoverReportDto] })
  items!: HandoverReportDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class ListHandoversQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  fromUserId?: string;
}
