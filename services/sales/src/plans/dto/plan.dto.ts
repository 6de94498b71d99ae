import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';
import { PERIOD_TYPES, type PeriodType } from '../plan-period';

export const PLAN_ITEM_KINDS = ['call', 'visit', 'meeting', 'email', 'wechat', 'task', 'other'] as const;
export type PlanItemKind = (typeof PLAN_ITEM_KINDS)[number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);

export class PlanItemInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An existing item of the plan to keep (PATCH); absent for a new one' })
  @IsOptional()
  @IsUUID()
  id?: string;

  @ApiProperty({ example: '拜访华东重点客户', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ enum: PLAN_ITEM_KINDS })
  @IsIn(PLAN_ITEM_KINDS)
  kind!: PlanItemKind;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10_000, description: 'How many (calls, visits, …); 1 for a single to-do' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  targetCount?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 100_000, description: 'Not for items that count activities' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  doneCount?: number;

  @ApiPropertyOptional({
    default: false,
    description: "Count the rep's logged activities of this kind in the period (completed tasks for kind task; only those about the linked lead, opportunity or customer when one is given) instead of a done count kept by hand",
  })
  @IsOptional()
  @IsBoolean()
  countActivities?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  leadId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A live customer' })
  @IsOptional()
  @IsUUID()
  customerId?: string | null;
}

export class CreatePlanDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The rep the plan is for: you, or (managers) a member of your teams; you when absent' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiProperty({ enum: PERIOD_TYPES })
  @IsIn(PERIOD_TYPES)
  periodType!: PeriodType;

  @ApiProperty({ example: '2026-11-23', description: 'First day: any day, a Monday for a week, the 1st for a month' })
  @Matches(DATE, { message: 'periodStart must be a date YYYY-MM-DD' })
  periodStart!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5_000 })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  notes?: string | null;

  @ApiPropertyOptional({ type: [PlanItemInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanItemInputDto)
  items?: PlanItemInputDto[];
}

export class UpdatePlanDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5_000 })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  notes?: string | null;

  @ApiPropertyOptional({ type: [PlanItemInputDto], description: 'Replaces the items; give an existing item its id to keep it' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanItemInputDto)
  items?: PlanItemInputDto[];

  @ApiPropertyOptional({ description: 'The version you read, instead of If-Match' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  version?: number;
}

export class UpdatePlanItemDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100_000, description: 'How many are done' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  doneCount?: number;

  @ApiPropertyOptional({ description: 'true sets doneCount to the target, false to 0' })
  @IsOptional()
  @IsBoolean()
  done?: boolean;

  @ApiPropertyOptional({ description: 'The plan version you read, instead of If-Match' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  version?: number;
}

export class PlanItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  position!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: PLAN_ITEM_KINDS })
  kind!: string;

  @ApiProperty()
  targetCount!: number;

  @ApiProperty()
  doneCount!: number;

  @ApiProperty({ description: 'doneCount reached targetCount' })
  done!: boolean;

  @ApiProperty({ description: 'doneCount is counted from logged activities' })
  countActivities!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  leadId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  opportunityId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  customerId!: string | null;
}

export class PlanDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  ownerId!: string;

  @ApiProperty({ enum: PERIOD_TYPES })
  periodType!: string;

  @ApiProperty({ example: '2026-11-23' })
  periodStart!: string;

  @ApiProperty({ example: '2026-11-29', description: 'Last day of the period (inclusive)' })
  periodEnd!: string;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({ type: [PlanItemDto] })
  items!: PlanItemDto[];

  @ApiProperty({ type: Number, nullable: true, example: 62.5, description: 'Done counts (capped at targets) over targets, in percent; null without items' })
  completion!: number | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PlanPageDto {
  @ApiProperty({ type: [PlanDto] })
  items!: PlanDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class ListPlansQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Plans of the team's members" })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ enum: PERIOD_TYPES })
  @IsOptional()
  @IsIn(PERIOD_TYPES)
  periodType?: PeriodType;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Periods starting on or after this date' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Periods starting before this date' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}
