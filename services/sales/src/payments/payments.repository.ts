import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import type { InvoiceStatus } from '../contracts/dto/contract.dto';

export interface ReceiptRecord {
  id: string;
  contractId: string;
  amountMicros: bigint;
  currency: string;
  receivedAt: Date;
  reference: string | null;
  recordedBy: string | null;
  createdAt: Date;
  allocations: Array<{ instalmentId: string; dueDate: string; amountMicros: bigint }>;
}

/** Receipts, their allocation to instalments, and the invoice status of instalments. */
@Injectable()
export class PaymentsRepository {
  async insertReceipt(manager: EntityManager, receipt: ReceiptRecord): Promise<void> {
    const tenantId = requireTenantId();
    await manager.query(
      `INSERT INTO contract_receipts (id, tenant_id, contract_id, amount_micros, currency, received_at, reference, recorded_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [receipt.id, tenantId, receipt.contractId, receipt.amountMicros.toString(), receipt.currency, receipt.receivedAt, receipt.reference, receipt.recordedBy, receipt.createdAt],
    );
    await manager.query(
      `INSERT INTO receipt_allocations (receipt_id, instalment_id, tenant_id, amount_micros)
       SELECT $1, a.instalment_id, $2, a.amount FROM unnest($3::uuid[], $4::bigint[]) AS a(instalment_id, amount)`,
      [receipt.id, tenantId, receipt.allocations.map((allocation) => allocation.instalmentId), receipt.allocations.map((allocation) => allocation.amountMicros.toString())],
    );
    await manager.query(
      `UPDATE contract_instalments i SET received_micros = i.received_micros + a.amount
         FROM unnest($2::uuid[], $3::bigint[]) AS a(instalment_id, amount)
        WHERE i.tenant_id = $1 AND i.id = a.instalment_id`,
      [tenantId, receipt.allocations.map((allocation) => allocation.instalmentId), receipt.allocations.map((allocation) => allocation.amountMicros.toString())],
    );
  }

  async receiptsOf(manager: EntityManager, contractId: string): Promise<ReceiptRecord[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT r.id, r.contract_id, r.amount_micros, r.currency, r.received_at, r.reference, r.recorded_by, r.created_at,
              coalesce(json_agg(json_build_object('instalmentId', a.instalment_id, 'dueDate', i.due_date::text, 'amountMicros', a.amount_micros::text) ORDER BY i.due_date, i.seq)
                FILTER (WHERE a.instalment_id IS NOT NULL), '[]') AS allocations
         FROM contract_receipts r
         LEFT JOIN receipt_allocations a ON a.receipt_id = r.id
         LEFT JOIN contract_instalments i ON i.id = a.instalment_id
        WHERE r.tenant_id = $1 AND r.contract_id = $2
        GROUP BY r.id
        ORDER BY r.received_at, r.created_at`,
      [requireTenantId(), contractId],
    );
    return rows.map((row) => ({
      id: row.id as string,
      contractId: row.contract_id as string,
      amountMicros: BigInt(row.amount_micros as string),
      currency: row.currency as string,
      receivedAt: row.received_at as Date,
      reference: row.reference as string | null,
      recordedBy: row.recorded_by as string | null,
      createdAt: row.created_at as Date,
      allocations: (row.allocations as Array<{ instalmentId: string; dueDate: string; amountMicros: string }>).map((allocation) => ({ ...allocation, amountMicros: BigInt(allocation.amountMicros) })),
    }));
  }

  async setInvoice(manager: EntityManager, instalmentId: string, status: InvoiceStatus, invoiceNumber: string | null, at: Date): Promise<void> {
    await manager.query(`UPDATE contract_instalments SET invoice_status = $3, invoice_number = $4, invoice_updated_at = $5 WHERE tenant_id = $1 AND id = $2`, [
      requireTenantId(),
      instalmentId,
      status,
      invoiceNumber,
      at,
    ]);
  }
}
