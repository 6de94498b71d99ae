import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength, ValidateIf, ValidateNested, IsInt, Max } from 'class-validator';
import { CURRENCY_PATTERN, MoneyDto, PageQueryDto } from '@crm/platform/api';

export const MAX_LINE_ITEMS = 200;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NON_NEGATIVE_MICROS = /^(0|[1-9][0-9]{0,17})$/;

/** Present and not null: for PATCH fields that may be left out but not cleared. */
const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_dto, value) => value !== undefined);

export class LineItemInputDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  productId?: string | null;

  @ApiPropertyOptional({ example: 'CRM-PRO-1Y', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sku?: string | null;

  @ApiProperty({ example: 'CRM 专业版 年度订阅' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 10, description: 'Positive, up to 3 decimals' })
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiProperty({ example: '12000000000', description: 'Unit price in micros of the opportunity currency' })
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: 'unitPriceMicros must be a non-negative integer number of micros as a string' })
  unitPriceMicros!: string;

  @ApiPropertyOptional({ example: '5000000000', description: 'Discount on the whole line, in micros; default 0' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: 'discountMicros must be a non-negative integer number of micros as a string' })
  discountMicros?: string;
}

export class CreateOpportunityDto {
  @ApiProperty({ example: '云启科技 CRM 采购项目' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'A live customer (422 otherwise)' })
  @IsUUID()
  customerId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Default: you. A rep may only own their own; a manager assigns within their teams' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Default: the tenant's default pipeline" })
  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @ApiPropertyOptional({ example: 'initial_contact', description: 'An open stage of the pipeline; default: the first' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  stage?: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'Default: the total of lineItems (0 without lines)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ example: 'CNY', description: 'Currency of the line items when amount is not given; default CNY' })
  @IsOptional()
  @IsString()
  @Matches(CURRENCY_PATTERN)
  currency?: string;

  @ApiPropertyOptional({ example: '2026-12-15', description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  expectedCloseDate?: string;

  @ApiPropertyOptional({ type: [LineItemInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => LineItemInputDto)
  lineItems?: LineItemInputDto[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class UpdateOpportunityDto {
  @ApiPropertyOptional()
  @NotNullWhenGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @NotNullWhenGiven()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A live customer' })
  @NotNullWhenGiven()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ example: 'proposal', description: 'Moves the opportunity (history, events); won/lost close it, lost needs lostReason' })
  @NotNullWhenGiven()
  @IsString()
  @MaxLength(63)
  stage?: string;

  @ApiPropertyOptional({ type: MoneyDto })
  @NotNullWhenGiven()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-12-15' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  expectedCloseDate?: string | null;

  @ApiPropertyOptional({ type: [LineItemInputDto], description: 'Replaces the lines; the amount follows their total unless amount is given too' })
  @NotNullWhenGiven()
  @IsArray()
  @ArrayMaxSize(MAX_LINE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => LineItemInputDto)
  lineItems?: LineItemInputDto[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  partnerId?: string | null;

  @ApiPropertyOptional({ example: 'price', description: 'Required when stage becomes lost' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  lostReason?: string;

  @ApiPropertyOptional({ example: '某竞品' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  competitor?: string;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class MoveStageDto {
  @ApiProperty({ example: 'needs_confirmed', description: 'Any stage of the pipeline; won/lost close the opportunity' })
  @IsString()
  @MaxLength(63)
  stage!: string;

  @ApiPropertyOptional({ example: 'price', description: 'Required when stage is lost' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  lostReason?: string;

  @ApiPropertyOptional({ example: '某竞品' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  competitor?: string;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListOpportunitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @ApiPropertyOptional({ example: 'proposal' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  stage?: string;

  @ApiPropertyOptional({ enum: ['open', 'won', 'lost'] })
  @IsOptional()
  @IsIn(['open', 'won', 'lost'])
  status?: 'open' | 'won' | 'lost';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  leadId?: string;
}

export class LineItemDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  productId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  sku!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 10 })
  quantity!: number;

  @ApiProperty({ type: MoneyDto })
  unitPrice!: MoneyDto;

  @ApiProperty({ type: MoneyDto })
  discount!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'quantity × unit price − discount' })
  total!: MoneyDto;
}

export class OpportunityDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ format: 'uuid' })
  ownerId!: string;

  @ApiProperty({ format: 'uuid' })
  pipelineId!: string;

  @ApiProperty({ example: 'initial_contact' })
  stage!: string;

  @ApiProperty({ example: '初步接触' })
  stageName!: string;

  @ApiProperty({ example: 10 })
  probability!: number;

  @ApiProperty({ enum: ['open', 'won', 'lost'] })
  status!: string;

  @ApiProperty({ type: MoneyDto })
  amount!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'amount × stage probability' })
  weightedAmount!: MoneyDto;

  @ApiProperty({ type: String, nullable: true, example: '2026-12-15' })
  expectedCloseDate!: string | null;

  @ApiProperty({ type: [LineItemDto] })
  lineItems!: LineItemDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  leadId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  partnerId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lostReason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  competitor!: string | null;

  @ApiProperty({ format: 'date-time' })
  stageEnteredAt!: string;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty()
  version!: number;
}

export class OpportunityPageDto {
  @ApiProperty({ type: [OpportunityDto] })
  items!: OpportunityDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class StageHistoryEntryDto {
  @ApiProperty({ type: String, nullable: true, description: 'The stage it left; null for the first entry' })
  fromStage!: string | null;

  @ApiProperty({ description: 'The stage it entered' })
  toStage!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  by!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Days spent in fromStage (3 decimals); null for the first entry' })
  daysInFromStage!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Days spent in toStage so far (until it left it, or until now)' })
  daysInStage!: number | null;
}

export class StageHistoryDto {
  @ApiProperty({ type: [StageHistoryEntryDto] })
  items!: StageHistoryEntryDto[];
}

