import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { BatchOrdersResultDto, BatchUpsertOrdersDto, CancelOrderDto, CreateOrderDto, ListOrdersQueryDto, OrderDto, OrderPageDto, UpsertOrderDto } from './dto/order.dto';
import { OrdersService } from './orders.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the order changed since' };

/** Orders in the caller's ownership scope (rep: own, manager: team, admin: all); others are 404. */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Orders in your scope, newest placed first; filter by customer, owner, status, placed from/to' })
  @ApiOkResponse({ type: OrderPageDto })
  list(@Query() query: ListOrdersQueryDto): Promise<Page<OrderDto>> {
    return this.orders.list(query);
  }

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Place an order (totals computed from the lines; emits OrderPlaced). With an externalId already used for the same content: 200 and that order' })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiOkResponse({ type: OrderDto, description: 'The order with this externalId and the same content existed' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'externalId used for different content (external_order_conflict)' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'Customer not live, unknown product, discount larger than the amount, inactive owner' })
  async create(@Body() body: CreateOrderDto, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const { order, outcome } = await this.orders.upsert(body);
    res.status(outcome === 'created' ? 201 : 200).setHeader('etag', etagOf(order.version));
    return order;
  }

  @Post('batch')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Create or sync up to 1,000 orders by externalId (same rules as PUT /orders/by-external-id); one result per item' })
  @ApiOkResponse({ type: BatchOrdersResultDto })
  batch(@Body() body: BatchUpsertOrdersDto): Promise<BatchOrdersResultDto> {
    return this.orders.batch(body.items);
  }

  @Put('by-external-id/:externalId')
  @RequirePermissions('sales:write')
  @ApiOperation({
    summary:
      'Idempotent upsert for e-commerce/ERP: creates the order (201) or returns the existing one (200); `status` moves it forward (paid, fulfilled, cancelled) with the events. Different content: 409',
  })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiOkResponse({ type: OrderDto })
  @ApiConflictResponse({ type: ProblemDetailsDto })
  async putByExternalId(@Param('externalId') externalId: string, @Body() body: UpsertOrderDto, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const { order, outcome } = await this.orders.upsert({ ...body, externalId });
    res.status(outcome === 'created' ? 201 : 200).setHeader('etag', etagOf(order.version));
    return order;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'An order with its lines' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const order = await this.orders.get(id);
    res.setHeader('etag', etagOf(order.version));
    return order;
  }

  @Post(':id/place')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'draft → placed: the order counts as a sale from now (placedAt = now) and OrderPlaced is emitted' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OrderDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Not a draft' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async place(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const order = await this.orders.placeDraft(id, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(order.version));
    return order;
  }

  @Post(':id/pay')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'placed → paid (emits OrderPaid)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OrderDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Not placed' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async pay(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const order = await this.orders.pay(id, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(order.version));
    return order;
  }

  @Post(':id/fulfil')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'paid → fulfilled (emits OrderFulfilled)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OrderDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Not paid' })
  async fulfil(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const order = await this.orders.fulfil(id, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(order.version));
    return order;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'draft, placed or paid → cancelled (emits OrderCancelled, except for a draft that was never placed)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OrderDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Fulfilled or already cancelled' })
  async cancel(@Param('id') id: string, @Body() body: CancelOrderDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderDto> {
    const order = await this.orders.cancel(id, body.reason, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(order.version));
    return order;
  }
}
