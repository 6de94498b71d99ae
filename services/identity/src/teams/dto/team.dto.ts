import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { Trim } from '../../common/validators';

export const TEAM_NAME_MAX_LENGTH = 100;
export const TEAM_MAX_MEMBERS = 1_000;

export class TeamDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '华东销售一组' })
  name!: string;

  @ApiProperty({ format: 'uuid' })
  managerId!: string;

  @ApiProperty({ type: [String], description: 'Every member, the manager included' })
  memberIds!: string[];

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TeamPageDto {
  @ApiProperty({ type: [TeamDto] })
  items!: TeamDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class CreateTeamDto {
  @ApiProperty({ example: '华东销售一组', maxLength: TEAM_NAME_MAX_LENGTH })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEAM_NAME_MAX_LENGTH)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'You when absent; only an admin may name someone else' })
  @IsOptional()
  @IsUUID()
  managerId?: string;

  @ApiPropertyOptional({ type: [String], description: 'The manager is always added' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(TEAM_MAX_MEMBERS)
  @IsUUID(undefined, { each: true })
  memberIds?: string[];
}

export class UpdateTeamDto {
  @ApiPropertyOptional({ maxLength: TEAM_NAME_MAX_LENGTH })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEAM_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only an admin may hand a team to another manager' })
  @IsOptional()
  @IsUUID()
  managerId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the members; the manager is always kept' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(TEAM_MAX_MEMBERS)
  @IsUUID(undefined, { each: true })
  memberIds?: string[];

  @ApiPropertyOptional({ description: 'Alternative to If-Match' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
