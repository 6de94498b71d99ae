import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@crm/platform/api';
import { ACTIVITY_KINDS, ACTIVITY_STATUSES, DIRECTIONS, LIMITS, type ActivityKind, type ActivityStatus, type Direction } from '../activity-kinds';

/** Present and not null: for PATCH fields that may be left out but not cleared. */
const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);

export class ActivityDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ACTIVITY_KINDS })
  kind!: string;

  @ApiProperty({ example: '首次电话沟通' })
  subject!: string;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({ enum: DIRECTIONS, nullable: true })
  direction!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'reached' })
  outcome!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  durationSeconds!: number | null;

  @ApiProperty({ enum: ACTIVITY_STATUSES, description: 'Logged activities are done; tasks are open until completed or cancelled' })
  status!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  occurredAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  @ApiProperty({ format: 'uuid' })
  ownerId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  leadId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  opportunityId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  customerId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contractId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  orderId!: string | null;

  @ApiProperty({ example: 'manual', description: 'manual for the API; rotting, renewal, automation, … for tasks the service raised' })
  origin!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy!: string | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityDto] })
  items!: ActivityDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class ListActivitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACTIVITY_KINDS })
  @IsOptional()
  @IsIn(ACTIVITY_KINDS)
  kind?: ActivityKind;

  @ApiPropertyOptional({ enum: ACTIVITY_STATUSES })
  @IsOptional()
  @IsIn(ACTIVITY_STATUSES)
  status?: ActivityStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  opportunityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Tasks due before this time (implies kind=task)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
}

/** Links and details every write may carry; in a PATCH absent fields are kept and null clears them. */
class ActivityFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: LIMITS.notes })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.notes)
  notes?: string | null;

  @ApiPropertyOptional({ enum: DIRECTIONS, nullable: true, description: 'For calls, e-mails, WeChat, SMS and visits' })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: Direction | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'reached', maxLength: LIMITS.outcome })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.outcome)
  outcome?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: LIMITS.durationSeconds })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(LIMITS.durationSeconds)
  durationSeconds?: number | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When it happened; now when absent (not for tasks)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Tasks only' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string | null;

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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  orderId?: string | null;
}

export class CreateActivityDto extends ActivityFieldsDto {
  @ApiProperty({ enum: ACTIVITY_KINDS, description: 'task creates an open task; every other kind logs something that happened' })
  @IsIn(ACTIVITY_KINDS)
  kind!: ActivityKind;

  @ApiProperty({ example: '首次电话沟通', maxLength: LIMITS.subject })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.subject)
  subject!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An active user in your scope; you when absent' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}

export class UpdateActivityDto extends ActivityFieldsDto {
  @ApiPropertyOptional({ maxLength: LIMITS.subject })
  @NotNullWhenGiven()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.subject)
  subject?: string;

  @ApiPropertyOptional({ enum: ['done', 'cancelled'], description: 'Tasks only: done completes the task (emits ActivityLogged), cancelled cancels it' })
  @NotNullWhenGiven()
  @IsIn(['done', 'cancelled'])
  status?: 'done' | 'cancelled';

  @ApiPropertyOptional({ format: 'uuid', description: 'An active user in your scope' })
  @NotNullWhenGiven()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'The version you read, instead of If-Match' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  version?: number;
}
