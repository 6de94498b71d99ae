import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertVersion, isUuid, mapPage, toMoney, type Page } from '@crm/platform/api';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import type { CreateProductDto, ListProductsQueryDto, ProductDto, UpdateProductDto } from './dto/product.dto';
import { ProductNotFoundError, ProductSkuTakenError } from './product.errors';
import { ProductsRepository, type ProductRecord } from './products.repository';

export function toProductDto(product: ProductRecord): ProductDto {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    unitPrice: toMoney(product.unitPriceMicros, product.currency),
    unitCost: product.unitCostMicros === null ? null : toMoney(product.unitCostMicros, product.currency),
    active: product.active,
    version: product.version,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** A small catalog: what order lines may refer to (sku, name, category, price, and cost for margins). */
@Injectable()
export class ProductsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly products: ProductsRepository,
  ) {}

  list(query: ListProductsQueryDto): Promise<Page<ProductDto>> {
    return this.transactions.run(async (manager) => mapPage(await this.products.list(manager, query), toProductDto));
  }

  get(id: string): Promise<ProductDto> {
    return this.transactions.run(async (manager) => {
      const product = isUuid(id) ? await this.products.findById(manager, id) : null;
      if (!product) throw new ProductNotFoundError(id);
      return toProductDto(product);
    });
  }

  create(input: CreateProductDto): Promise<ProductDto> {
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const product: ProductRecord = {
        id: randomUUID(),
        sku: input.sku,
        name: input.name,
        category: input.category ?? null,
        unitPriceMicros: BigInt(input.unitPriceMicros),
        currency: input.currency,
        unitCostMicros: input.unitCostMicros === undefined ? null : BigInt(input.unitCostMicros),
        active: true,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.products.insert(manager, product);
      } catch (error) {
        if (isUniqueViolation(error, 'products_tenant_sku_key')) throw new ProductSkuTakenError(input.sku);
        throw error;
      }
      return toProductDto(product);
    });
  }

  update(id: string, input: UpdateProductDto, expected: number | undefined): Promise<ProductDto> {
    return this.transactions.run(async (manager) => {
      const product = isUuid(id) ? await this.products.findById(manager, id, true) : null;
      if (!product) throw new ProductNotFoundError(id);
      assertVersion(expected, product.version);
      const next: ProductRecord = {
        ...product,
        name: input.name ?? product.name,
        category: input.category === undefined ? product.category : input.category,
        unitPriceMicros: input.unitPriceMicros === undefined ? product.unitPriceMicros : BigInt(input.unitPriceMicros),
        unitCostMicros: input.unitCostMicros === undefined ? product.unitCostMicros : input.unitCostMicros === null ? null : BigInt(input.unitCostMicros),
        active: input.active ?? product.active,
        version: product.version + 1,
        updatedAt: new Date(),
      };
      await this.products.update(manager, next);
      return toProductDto(next);
    });
  }
}
