import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CURRENCY_PATTERN, MoneyDto, PageQueryDto, toBoolean } from '@crm/platform/api';

const NON_NEGATIVE_MICROS = /^(0|[1-9][0-9]{0,17})$/;

export class CreateProductDto {
  @ApiProperty({ example: 'CRM-PRO-1Y', maxLength: 100, description: 'Unique in the tenant' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sku!: string;

  @ApiProperty({ example: 'CRM 专业版 年度订阅', maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  @ApiPropertyOptional({ example: '软件订阅', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiProperty({ example: '12800000000', description: 'List price of one unit, micros' })
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: 'unitPriceMicros must be a non-negative integer number of micros as a string' })
  unitPriceMicros!: string;

  @ApiProperty({ example: 'CNY' })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as CNY' })
  currency!: string;

  @ApiPropertyOptional({ example: '6000000000', description: 'Cost of one unit for margins, micros (same currency); unknown when absent' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: 'unitCostMicros must be a non-negative integer number of micros as a string' })
  unitCostMicros?: string;
}

export class UpdateProductDto {
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) name?: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  category?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NON_NEGATIVE_MICROS) unitPriceMicros?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null: cost unknown' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(NON_NEGATIVE_MICROS)
  unitCostMicros?: string | null;

  @ApiPropertyOptional({ description: 'false hides it from new orders (existing orders keep it)' }) @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class ListProductsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) category?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() active?: boolean;
}

export class ProductDto {
  @ApiProperty() id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) category!: string | null;
  @ApiProperty({ type: MoneyDto }) unitPrice!: MoneyDto;
  @ApiProperty({ type: MoneyDto, nullable: true }) unitCost!: MoneyDto | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional() total?: number;
}
