import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';

export interface ProductRecord {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  unitPriceMicros: bigint;
  currency: string;
  unitCostMicros: bigint | null;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Raw = Record<string, unknown>;
const COLUMNS = 'id, sku, name, category, unit_price_micros, currency, unit_cost_micros, active, version, created_at, updated_at';

function toProduct(row: Raw): ProductRecord {
  return {
    id: row.id as string,
    sku: row.sku as string,
    name: row.name as string,
    category: row.category as string | null,
    unitPriceMicros: BigInt(row.unit_price_micros as string),
    currency: row.currency as string,
    unitCostMicros: row.unit_cost_micros === null ? null : BigInt(row.unit_cost_micros as string),
    active: row.active as boolean,
    version: row.version as number,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

/** The product catalog of the current tenant. */
@Injectable()
export class ProductsRepository {
  async insert(manager: EntityManager, product: ProductRecord): Promise<void> {
    await manager.query(
      `INSERT INTO products (id, tenant_id, sku, name, category, unit_price_micros, currency, unit_cost_micros, active, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
      [product.id, requireTenantId(), product.sku, product.name, product.category, product.unitPriceMicros.toString(), product.currency, product.unitCostMicros?.toString() ?? null, product.active, product.version, product.createdAt],
    );
  }

  async update(manager: EntityManager, product: ProductRecord): Promise<void> {
    await manager.query(
      `UPDATE products SET name = $3, category = $4, unit_price_micros = $5, unit_cost_micros = $6, active = $7, version = $8, updated_at = $9 WHERE tenant_id = $1 AND id = $2`,
      [requireTenantId(), product.id, product.name, product.category, product.unitPriceMicros.toString(), product.unitCostMicros?.toString() ?? null, product.active, product.version, product.updatedAt],
    );
  }

  async findById(manager: EntityManager, id: string, lock = false): Promise<ProductRecord | null> {
    const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM products WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [requireTenantId(), id]);
    return rows[0] ? toProduct(rows[0]) : null;
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, ProductRecord>> {
    if (ids.length === 0) return new Map();
    const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [requireTenantId(), [...new Set(ids)]]);
    return new Map(rows.map((row) => [row.id as string, toProduct(row)]));
  }

  async list(manager: EntityManager, filter: { category?: string; active?: boolean; limit: number; cursor?: string; total?: boolean }): Promise<Page<ProductRecord>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['tenant_id = $1'];
    if (filter.category !== undefined) {
      params.push(filter.category);
      where.push(`category = $${params.length}`);
    }
    if (filter.active !== undefined) {
      params.push(filter.active);
      where.push(`active = $${params.length}`);
    }
    let total: number | undefined;
    if (filter.total) total = Number((await manager.query(`SELECT count(*) AS count FROM products WHERE ${where.join(' AND ')}`, params))[0].count);
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      params.push(after.at, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM products WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
    const items = rows.slice(0, filter.limit).map(toProduct);
    const last = items[items.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }
}
