import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

const PREFIX = { order: 'SO', contract: 'HT' } as const;

/**
 * Human-readable numbers per tenant and year: SO-2026-000001 for orders, HT-2026-000042 for contracts
 * (合同). The counter row is locked by the increment until the caller's transaction ends, so numbers
 * are gap-free for committed documents of concurrent writers and never repeat.
 */
@Injectable()
export class DocumentNumbers {
  async next(manager: EntityManager, tenantId: string, kind: keyof typeof PREFIX, at: Date = new Date()): Promise<string> {
    const year = at.getUTCFullYear();
    const rows: Array<{ last_value: string }> = await manager.query(
      `INSERT INTO order_to_cash_sequences (tenant_id, kind, year, last_value) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, kind, year) DO UPDATE SET last_value = order_to_cash_sequences.last_value + 1
       RETURNING last_value`,
      [tenantId, kind, year],
    );
    return `${PREFIX[kind]}-${year}-${rows[0].last_value.toString().padStart(6, '0')}`;
  }
}
