import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';
import { ownerScopeSql } from '../orders/owner-scope-sql';
import type { ContractStatus, InvoiceStatus } from './dto/contract.dto';

export interface ContractRecord {
  id: string;
  tenantId: string;
  contractNumber: string;
  title: string;
  customerId: string;
  ownerId: string;
  opportunityId: string | null;
  orderId: string | null;
  amountMicros: bigint;
  currency: string;
  startDate: string;
  endDate: string | null;
  terms: string | null;
  status: ContractStatus;
  signedAt: Date | null;
  endedAt: Date | null;
  createdBy: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface InstalmentRecord {
  id: string;
  contractId: string;
  seq: number;
  dueDate: string;
  amountMicros: bigint;
  receivedMicros: bigint;
  invoiceStatus: InvoiceStatus;
  invoiceNumber: string | null;
}

/** Contracts whose instalments count as money to collect: signed, in force, or ended but still owed. */
export const COLLECTIBLE_STATUSES: readonly ContractStatus[] = ['signed', 'active', 'expired'];

type Raw = Record<string, unknown>;
const COLUMNS = `c.id, c.tenant_id, c.contract_number, c.title, c.customer_id, c.owner_id, c.opportunity_id, c.order_id, c.amount_micros, c.currency,
  c.start_date::text AS start_date, c.end_date::text AS end_date, c.terms, c.status, c.signed_at, c.ended_at, c.created_by, c.version, c.created_at, c.updated_at`;

function toContract(row: Raw): ContractRecord {
  return {
    id: row.id as string,
    tenantId: row.tenant_id as string,
    contractNumber: row.contract_number as string,
    title: row.title as string,
    customerId: row.customer_id as string,
    ownerId: row.owner_id as string,
    opportunityId: row.opportunity_id as string | null,
    orderId: row.order_id as string | null,
    amountMicros: BigInt(row.amount_micros as string),
    currency: row.currency as string,
    startDate: row.start_date as string,
    endDate: row.end_date as string | null,
    terms: row.terms as string | null,
    status: row.status as ContractStatus,
    signedAt: row.signed_at as Date | null,
    endedAt: row.ended_at as Date | null,
    createdBy: row.created_by as string | null,
    version: row.version as number,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function toInstalment(row: Raw): InstalmentRecord {
  return {
    id: row.id as string,
    contractId: row.contract_id as string,
    seq: row.seq as number,
    dueDate: row.due_date as string,
    amountMicros: BigInt(row.amount_micros as string),
    receivedMicros: BigInt(row.received_micros as string),
    invoiceStatus: row.invoice_status as InvoiceStatus,
    invoiceNumber: row.invoice_number as string | null,
  };
}

/** Contracts and their payment schedules of the current tenant, in raw SQL. */
@Injectable()
export class ContractsRepository {
  async insert(manager: EntityManager, contract: ContractRecord): Promise<void> {
    await manager.query(
      `INSERT INTO contracts (id, tenant_id, contract_number, title, customer_id, owner_id, opportunity_id, order_id, amount_micros, currency, start_date, end_date,
         terms, status, signed_at, ended_at, created_by, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)`,
      [
        contract.id,
        contract.tenantId,
        contract.contractNumber,
        contract.title,
        contract.customerId,
        contract.ownerId,
        contract.opportunityId,
        contract.orderId,
        contract.amountMicros.toString(),
        contract.currency,
        contract.startDate,
        contract.endDate,
        contract.terms,
        contract.status,
        contract.signedAt,
        contract.endedAt,
        contract.createdBy,
        contract.version,
        contract.createdAt,
      ],
    );
  }

  /** Writes every mutable field and keeps the instalments' copies (owner, currency, collectible) in step. */
  async update(manager: EntityManager, contract: ContractRecord): Promise<void> {
    await manager.query(
      `UPDATE contracts SET title = $3, owner_id = $4, opportunity_id = $5, order_id = $6, amount_micros = $7, currency = $8, start_date = $9, end_date = $10,
         terms = $11, status = $12, signed_at = $13, ended_at = $14, version = $15, updated_at = $16
       WHERE tenant_id = $1 AND id = $2`,
      [
        contract.tenantId,
        contract.id,
        contract.title,
        contract.ownerId,
        contract.opportunityId,
        contract.orderId,
        contract.amountMicros.toString(),
        contract.currency,
        contract.startDate,
        contract.endDate,
        contract.terms,
        contract.status,
        contract.signedAt,
        contract.endedAt,
        contract.version,
        contract.updatedAt,
      ],
    );
    await manager.query(
      `UPDATE contract_instalments SET owner_id = $3, currency = $4, collectible = $5
        WHERE tenant_id = $1 AND contract_id = $2 AND (owner_id <> $3 OR currency <> $4 OR collectible <> $5)`,
      [contract.tenantId, contract.id, contract.ownerId, contract.currency, COLLECTIBLE_STATUSES.includes(contract.status)],
    );
  }

  async findById(manager: EntityManager, id: string, options: { scoped: boolean; lock?: boolean }): Promise<ContractRecord | null> {
    const params: unknown[] = [requireTenantId(), id];
    const scope = options.scoped ? ownerScopeSql('c.owner_id', params) : 'TRUE';
    const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM contracts c WHERE c.tenant_id = $1 AND c.id = $2 AND ${scope}${options.lock ? ' FOR UPDATE OF c' : ''}`, params);
    return rows[0] ? toContract(rows[0]) : null;
  }

  async list(manager: EntityManager, filter: { customerId?: string; ownerId?: string; status?: ContractStatus; limit: number; cursor?: string; total?: boolean }): Promise<Page<ContractRecord>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['c.tenant_id = $1', ownerScopeSql('c.owner_id', params)];
    for (const [column, value] of [
      ['c.customer_id', filter.customerId],
      ['c.owner_id', filter.ownerId],
      ['c.status', filter.status],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    let total: number | undefined;
    if (filter.total) total = Number((await manager.query(`SELECT count(*) AS count FROM contracts c WHERE ${where.join(' AND ')}`, params))[0].count);
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      params.push(after.at, after.id);
      where.push(`(c.created_at, c.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM contracts c WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`, params);
    const items = rows.slice(0, filter.limit).map(toContract);
    const last = items[items.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /** Instalments of the contracts, by due date then sequence. */
  async instalmentsOf(manager: EntityManager, contractIds: readonly string[], lock = false): Promise<Map<string, InstalmentRecord[]>> {
    const map = new Map<string, InstalmentRecord[]>();
    if (contractIds.length === 0) return map;
    const rows: Raw[] = await manager.query(
      `SELECT id, contract_id, seq, due_date::text AS due_date, amount_micros, received_micros, invoice_status, invoice_number
         FROM contract_instalments WHERE tenant_id = $1 AND contract_id = ANY($2::uuid[]) ORDER BY contract_id, due_date, seq${lock ? ' FOR UPDATE' : ''}`,
      [requireTenantId(), [...contractIds]],
    );
    for (const row of rows) {
      const instalment = toInstalment(row);
      map.set(instalment.contractId, [...(map.get(instalment.contractId) ?? []), instalment]);
    }
    return map;
  }

  async replaceSchedule(manager: EntityManager, contract: ContractRecord, instalments: ReadonlyArray<{ id: string; dueDate: string; amountMicros: bigint }>): Promise<void> {
    await manager.query(`DELETE FROM contract_instalments WHERE tenant_id = $1 AND contract_id = $2`, [contract.tenantId, contract.id]);
    await manager.query(
      `INSERT INTO contract_instalments (id, tenant_id, contract_id, seq, due_date, amount_micros, currency, owner_id, collectible)
       SELECT i.id, $1, $2, i.seq, i.due_date, i.amount, $3, $4, $5
         FROM unnest($6::uuid[], $7::int[], $8::date[], $9::bigint[]) AS i(id, seq, due_date, amount)`,
      [
        contract.tenantId,
        contract.id,
        contract.currency,
        contract.ownerId,
        COLLECTIBLE_STATUSES.includes(contract.status),
        instalments.map((instalment) => instalment.id),
        instalments.map((_, index) => index + 1),
        instalments.map((instalment) => instalment.dueDate),
        instalments.map((instalment) => instalment.amountMicros.toString()),
      ],
    );
  }

  async hasReceipts(manager: EntityManager, contractId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM contract_receipts WHERE tenant_id = $1 AND contract_id = $2 LIMIT 1`, [requireTenantId(), contractId]);
    return rows.length > 0;
  }
}
