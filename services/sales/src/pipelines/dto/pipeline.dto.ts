import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const STAGE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const MAX_OPEN_STAGES = 20;

export class OpenStageInputDto {
  @ApiProperty({ example: 'initial_contact', description: 'Stable key: lower-case letters, digits and _; won and lost are reserved' })
  @IsString()
  @Matches(STAGE_KEY_PATTERN, { message: 'key must be lower-case letters, digits and _ starting with a letter, e.g. initial_contact' })
  key!: string;

  @ApiProperty({ example: '初步接触' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: 'Initial contact', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  nameEn?: string | null;

  @ApiProperty({ example: 10, minimum: 0, maximum: 100, description: 'Win probability in percent' })
  @IsInt()
  @Min(0)
  @Max(100)
  probability!: number;

  @ApiPropertyOptional({ example: 14, minimum: 1, nullable: true, description: 'Idle longer than this many days in the stage is rotting; null: never' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  rottingDays?: number | null;
}

export class CreatePipelineDto {
  @ApiProperty({ example: '大客户管道' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: [OpenStageInputDto], description: 'Open stages in order; won (100%) and lost (0%) are added' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OPEN_STAGES)
  @ValidateNested({ each: true })
  @Type(() => OpenStageInputDto)
  stages!: OpenStageInputDto[];

  @ApiPropertyOptional({ description: 'Make it the tenant default (the previous default stops being it)', default: false })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdatePipelineDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: [OpenStageInputDto], description: 'The whole new list of open stages; a removed stage must hold no opportunity (409)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OPEN_STAGES)
  @ValidateNested({ each: true })
  @Type(() => OpenStageInputDto)
  stages?: OpenStageInputDto[];

  @ApiPropertyOptional({ description: 'true makes it the default; false is refused for the default (make another one default instead)' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PipelineStageDto {
  @ApiProperty({ example: 'initial_contact' })
  key!: string;

  @ApiProperty({ example: '初步接触' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Initial contact' })
  nameEn!: string | null;

  @ApiProperty({ enum: ['open', 'won', 'lost'] })
  kind!: string;

  @ApiProperty({ example: 0 })
  position!: number;

  @ApiProperty({ example: 10 })
  probability!: number;

  @ApiProperty({ type: Number, nullable: true, example: 14 })
  rottingDays!: number | null;
}

export class PipelineDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  isDefault!: boolean;

  @ApiProperty({ type: [PipelineStageDto], description: 'Open stages in order, then won, then lost' })
  stages!: PipelineStageDto[];

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PipelinePageDto {
  @ApiProperty({ type: [PipelineDto] })
  items!: PipelineDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}
