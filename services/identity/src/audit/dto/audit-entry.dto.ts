import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-actions';
import { PageQueryDto } from '@crm/platform/api';

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'user.roles_changed' })
  action!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who did it; null for the system and for failed sign-ins' })
  actorId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'user' })
  targetType!: string | null;

  @ApiProperty({ nullable: true, type: String })
  targetId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { from: ['rep'], to: ['rep', 'manager'] } })
  details!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class AuditEntryPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}
