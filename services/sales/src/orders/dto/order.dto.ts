import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_PATTERN, MoneyDto, PageQueryDto } from '@crm/platform/api';

/** `draft`: prepared (e.g. by an automation rule from a won opportunity), not yet an order: no revenue, no events until placed. */
export const ORDER_STATUSES = ['draft', 'placed', 'paid', 'fulfilled', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses an integrator may report for a synchronised order (never draft). */
export const SYNC_ORDER_STATUSES = ['placed', 'paid', 'fulfilled', 'cancelled'] as const;
export type SyncOrderStatus = (typeof SYNC_ORDER_STATUSES)[number];

const NON_NEGATIVE_MICROS = /^(0|[1-9][0-9]{0,17})$/;
const MICROS_MESSAGE = 'must be a non-negative integer number of micros as a string, e.g. "1250000000" for 1,250.00';

export class OrderLineInputDto {
  @ApiPropertyOptional({ description: 'Product of the catalog; fills sku, name, category, unit price and unit cost where not given (price and cost only in the same currency)' })
  @IsOptional()
  @IsUUID()
  productId?: string;

  @ApiPropertyOptional({ example: 'CRM-PRO-1Y', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sku?: string;

  @ApiPropertyOptional({ example: 'CRM 专业版 年度订阅', maxLength: 300, description: 'Required unless productId is given' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ example: '软件订阅', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiProperty({ example: 2, description: 'Quantity, > 0, up to 6 decimals' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0.000001)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiPropertyOptional({ example: '12800000000', description: 'Price of one unit in micros of the order currency; required unless the product has a price in that currency' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: `unitPriceMicros ${MICROS_MESSAGE}` })
  unitPriceMicros?: string;

  @ApiPropertyOptional({ example: '0', description: 'Discount on the whole line, micros' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: `discountMicros ${MICROS_MESSAGE}` })
  discountMicros?: string;

  @ApiPropertyOptional({ example: '6000000000', description: 'Cost of one unit (margin), micros; from the product when absent' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: `unitCostMicros ${MICROS_MESSAGE}` })
  unitCostMicros?: string;
}

export class CreateOrderDto {
  @ApiProperty({ description: 'A live customer (from the customers service)' })
  @IsUUID()
  customerId!: string;

  @ApiPropertyOptional({ example: 'TMALL-20261123-0001', maxLength: 200, description: 'Id in the e-commerce/ERP system: the same externalId with the same content returns the existing order (200)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId?: string;

  @ApiProperty({ example: 'CNY' })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as CNY' })
  currency!: string;

  @ApiProperty({ type: [OrderLineInputDto], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines!: OrderLineInputDto[];

  @ApiPropertyOptional({ example: '0', description: 'Discount on the whole order (coupons, promotions), micros' })
  @IsOptional()
  @IsString()
  @Matches(NON_NEGATIVE_MICROS, { message: `discountMicros ${MICROS_MESSAGE}` })
  discountMicros?: string;

  @ApiPropertyOptional({ type: [String], example: ['SPRING2026'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  couponCodes?: string[];

  @ApiPropertyOptional({ example: 'sales', description: 'sales, web, app, store, erp, … (default sales)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'channel must be a short lower-case word such as web or erp' })
  channel?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  opportunityId?: string;

  @ApiPropertyOptional({ description: 'Partner (distributor, reseller) the order came through' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ description: 'Responsible rep; the caller when absent' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'When the customer ordered (synchronised orders); now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedAt?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** An order as an integrator sends it: the content plus the status it has in their system. */
export class UpsertOrderDto extends CreateOrderDto {
  @ApiPropertyOptional({ enum: SYNC_ORDER_STATUSES, description: 'Moves the order forward to this status (placed → paid → fulfilled, or cancelled); never back' })
  @IsOptional()
  @IsIn(SYNC_ORDER_STATUSES)
  status?: SyncOrderStatus;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why, when status is cancelled' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cancelReason?: string;
}

export class BatchUpsertOrderItemDto extends UpsertOrderDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare externalId: string;
}

export class BatchUpsertOrdersDto {
  @ApiProperty({ type: [BatchUpsertOrderItemDto], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => BatchUpsertOrderItemDto)
  items!: BatchUpsertOrderItemDto[];
}

export class CancelOrderDto {
  @ApiPropertyOptional({ maxLength: 500, example: '客户取消' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES) status?: OrderStatus;
  @ApiPropertyOptional({ description: 'Placed at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Placed before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class OrderLineDto {
  @ApiProperty() lineNo!: number;
  @ApiProperty({ nullable: true, type: String }) productId!: string | null;
  @ApiProperty({ nullable: true, type: String }) sku!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) category!: string | null;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ type: MoneyDto }) unitPrice!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) discount!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'quantity × unit price − discount' }) lineTotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto, nullable: true }) unitCost!: MoneyDto | null;
}

export class OrderDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'SO-2026-000123' }) orderNumber!: string;
  @ApiProperty({ nullable: true, type: String }) externalId!: string | null;
  @ApiProperty() customerId!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [OrderLineDto] }) lines!: OrderLineDto[];
  @ApiProperty({ type: MoneyDto }) subtotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) discount!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) total!: MoneyDto;
  @ApiProperty({ type: [String] }) couponCodes!: string[];
  @ApiProperty() channel!: string;
  @ApiProperty({ nullable: true, type: String }) opportunityId!: string | null;
  @ApiProperty({ nullable: true, type: String }) partnerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) placedBy!: string | null;
  @ApiProperty() placedAt!: string;
  @ApiProperty({ nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) fulfilledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional() total?: number;
}

export class BatchOrderResultDto {
  @ApiProperty() index!: number;
  @ApiProperty() externalId!: string;
  @ApiProperty({ enum: ['created', 'unchanged', 'updated', 'failed'] }) result!: 'created' | 'unchanged' | 'updated' | 'failed';
  @ApiPropertyOptional() id?: string;
  @ApiPropertyOptional() orderNumber?: string;
  @ApiPropertyOptional({ description: 'Problem code when failed, e.g. customer_not_found' }) code?: string;
  @ApiPropertyOptional() detail?: string;
}

export class BatchOrdersResultDto {
  @ApiProperty({ type: [BatchOrderResultDto] }) items!: BatchOrderResultDto[];
  @ApiProperty() created!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() failed!: number;
}

