import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CreateProductDto, ListProductsQueryDto, ProductDto, ProductPageDto, UpdateProductDto } from './dto/product.dto';
import { ProductsService } from './products.service';

/** The tenant's product catalog (order lines, product analysis, margins). */
@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Products, newest first; filter by category and active' })
  @ApiOkResponse({ type: ProductPageDto })
  list(@Query() query: ListProductsQueryDto): Promise<Page<ProductDto>> {
    return this.products.list(query);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Add a product (SKU unique in the tenant)' })
  @ApiCreatedResponse({ type: ProductDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'SKU taken' })
  async create(@Body() body: CreateProductDto, @Res({ passthrough: true }) res: Response): Promise<ProductDto> {
    const product = await this.products.create(body);
    res.setHeader('etag', etagOf(product.version));
    return product;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A product' })
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ProductDto> {
    const product = await this.products.get(id);
    res.setHeader('etag', etagOf(product.version));
    return product;
  }

  @Patch(':id')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Change name, category, price, cost or active; SKU and currency stay' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdateProductDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ProductDto> {
    const product = await this.products.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(product.version));
    return product;
  }
}
