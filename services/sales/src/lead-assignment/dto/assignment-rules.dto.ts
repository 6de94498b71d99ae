import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class AssignmentRuleDto {
  @ApiProperty({ example: '华东制造业', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['华东'], description: "The lead's region is one of these (case-insensitive)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  regions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['制造业'], description: "The lead's industry is one of these (case-insensitive)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  industries?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Score band, inclusive' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Score band, inclusive' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  maxScore?: number;

  @ApiPropertyOptional({ format: 'uuid', description: "Round-robin among this team's active reps (senior reps for high scores); exactly one of teamId and userId" })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Give matching leads to this user' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000, description: "Max open leads per rep under this rule; the tenant's defaultCapacity when absent" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number;
}

export class AssignmentRulesInputDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 80, description: "Leads scoring at least this go to the team's senior reps (seniority senior or lead)" })
  @IsInt()
  @Min(0)
  @Max(100)
  highScoreThreshold!: number;

  @ApiProperty({ minimum: 1, maximum: 100000, example: 50, description: 'Max open leads per rep when a rule names none' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  defaultCapacity!: number;

  @ApiProperty({ type: [AssignmentRuleDto], description: 'Ordered: the first rule a lead matches decides' })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AssignmentRuleDto)
  rules!: AssignmentRuleDto[];

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}

export class AssignmentRulesDto extends AssignmentRulesInputDto {
  @ApiProperty({ description: '0 while the tenant uses the defaults' })
  declare version: number;

  @ApiProperty({ description: 'True while the tenant has not set its own rules' })
  isDefault!: boolean;
}
