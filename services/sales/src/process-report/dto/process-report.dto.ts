import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PERIOD_TYPES, type PeriodType } from '../../plans/plan-period';

export class ProcessReportQueryDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00Z', description: 'Start, inclusive (a date means its 00:00 UTC)' })
  @IsISO8601()
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00Z', description: 'End, exclusive' })
  @IsISO8601()
  to!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One rep (within your scope)' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A team's members (within your scope)" })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ enum: PERIOD_TYPES, description: 'Plan completion from plans of this period type only; all types when absent' })
  @IsOptional()
  @IsIn(PERIOD_TYPES)
  planPeriodType?: PeriodType;
}

export class KindCountDto {
  @ApiProperty({ example: 'call' })
  kind!: string;

  @ApiProperty()
  count!: number;
}

export class StageCountDto {
  @ApiProperty({ format: 'uuid' })
  pipelineId!: string;

  @ApiProperty({ example: 'needs_confirmed', description: "The opportunity's current stage" })
  stage!: string;

  @ApiProperty({ type: String, nullable: true, example: '需求确认' })
  stageName!: string | null;

  @ApiProperty()
  count!: number;
}

export class ProcessFiguresDto {
  @ApiProperty({ description: 'Logged activities (calls, meetings, visits, e-mails, WeChat, SMS, notes) that happened in the range' })
  activities!: number;

  @ApiProperty({ type: [KindCountDto] })
  activitiesByKind!: KindCountDto[];

  @ApiProperty({ type: [StageCountDto], description: 'Logged activities about an opportunity, by its current stage' })
  activitiesByStage!: StageCountDto[];

  @ApiProperty({ description: 'Tasks completed in the range' })
  tasksDone!: number;

  @ApiProperty({ description: 'Tasks due in the range (and already past due) that were not done by their due time' })
  tasksOverdue!: number;

  @ApiProperty({ description: 'Sum of plan item targets of plans starting in the range' })
  planTarget!: number;

  @ApiProperty({ description: 'Sum of done counts, each capped at its target' })
  planDone!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'planDone / planTarget in percent (one decimal); null without plan items' })
  planCompletion!: number | null;
}

export class RepProcessDto extends ProcessFiguresDto {
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;
}

export class ProcessReportDto {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [RepProcessDto], description: 'Every rep covered, by name' })
  reps!: RepProcessDto[];

  @ApiProperty({ type: ProcessFiguresDto, description: 'The reps together (team total)' })
  total!: ProcessFiguresDto;
}
