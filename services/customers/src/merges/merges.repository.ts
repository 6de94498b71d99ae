import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { CustomerEntity } from '../customers/customer.entity';
import { teamMembersSql } from '../users/users.repository';
import { customerFromRow } from './customer-rows';
import type { DuplicatePairRow, PairMoves } from './duplicate-pair-moves';

/** A row of customer_merges. */
export interface MergeRow {
  id: string;
  survivor_id: string;
  merged_ids: string[];
  field_choices: Record<string, string>;
  survivor_version: number;
  merged_by: string | null;
  merged_at: Date;
  undone_by: string | null;
  undone_at: Date | null;
  erased_at: Date | null;
}

/** One involved customer of a merge as it was before it; `customer` is absent once erased. */
export interface MergeSnapshot {
  customerId: string;
  role: 'survivor' | 'merged';
  /** The row as `to_jsonb` gave it: what an undo writes back. */
  raw: Record<string, unknown> | null;
  customer: CustomerEntity | null;
}

export interface NewMerge {
  id: string;
  tenantId: string;
  survivorId: string;
  mergedIds: readonly string[];
  fieldChoices: Record<string, string>;
  survivorVersion: number;
  duplicatePairs: readonly DuplicatePairRow[];
  mergedBy: string | null;
  mergedAt: Date;
  /** Survivor first, then the merged customers in request order. */
  snapshots: ReadonlyArray<{ customerId: string; role: 'survivor' | 'merged'; raw: Record<string, unknown> }>;
}

const MERGE_COLUMNS = ['id', 'survivor_id', 'merged_ids', 'field_choices', 'survivor_version', 'merged_by', 'merged_at', 'undone_by', 'undone_at', 'erased_at'];

/** Columns an undo never takes from a snapshot: identity, and what the undo itself sets. */
const NOT_RESTORED = new Set(['id', 'tenant_id', 'version', 'updated_at']);
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Merges, their snapshots, and the customer rows and duplicate pairs a merge or an undo changes. Every
 * statement names the tenant; the transaction's tenant setting backs it with row-level security.
 */
@Injectable()
export class MergesRepository {
  // --- Customers

  /**
   * These customers of the tenant in the caller's scope, deleted and merged ones included (the caller
   * tells them apart), ordered by id so concurrent merges lock in the same order.
   */
  findInScope(manager: EntityManager, tenantId: string, ids: readonly string[], scope: OwnershipScope, options: { lock: boolean }): Promise<CustomerEntity[]> {
    const qb = manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.id IN (:...ids)', { ids: [...ids] })
      .orderBy('c.id', 'ASC');
    applyOwnershipScope(qb, { ownerColumn: 'c.ownerId', teamMembersSql, scope });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /** These customers of the tenant, whatever their state, locked in id order. */
  lockCustomers(manager: EntityManager, tenantId: string, ids: readonly string[]): Promise<CustomerEntity[]> {
    return manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.id IN (:...ids)', { ids: [...ids] })
      .orderBy('c.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** The rows as they are, column for column (`to_jsonb`), by id. */
  async rawRows(manager: EntityManager, tenantId: string, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const rows: Array<{ id: string; row: Record<string, unknown> }> = await manager.query(`SELECT c.id, to_jsonb(c) AS row FROM customers c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`, [
      tenantId,
      [...ids],
    ]);
    return new Map(rows.map(({ id, row }) => [id, row]));
  }

  /** Soft-deletes the merged customers, naming their survivor; each gets its next version. */
  async markMerged(manager: EntityManager, tenantId: string, ids: readonly string[], survivorId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE customers SET deleted_at = $3, merged_into_id = $4, merged_at = $3, version = version + 1, updated_at = $3
        WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, [...ids], at, survivorId],
    );
  }

  /**
   * Writes a snapshot back over a customer row: every column the snapshot has and the table still has,
   * except identity; version and updated_at are the undo's.
   */
  async restore(manager: EntityManager, tenantId: string, raw: Record<string, unknown>, version: number, at: Date): Promise<void> {
    const existing = await this.customerColumns(manager);
    const columns = Object.keys(raw).filter((column) => existing.has(column) && !NOT_RESTORED.has(column) && COLUMN_NAME.test(column));
    const list = columns.map((column) => `"${column}"`).join(', ');
    const values = columns.map((column) => `r."${column}"`).join(', ');
    await manager.query(
      `UPDATE customers c SET (${list}) = (SELECT ${values} FROM jsonb_populate_record(NULL::customers, $1::jsonb) r), version = $2, updated_at = $3
        WHERE c.tenant_id = $4 AND c.id = $5`,
      [JSON.stringify(raw), version, at, tenantId, raw.id],
    );
  }

  /** Live customers outside `exceptIds` that hold one of these external ids. */
  async liveExternalIdHolders(manager: EntityManager, tenantId: string, externalIds: readonly string[], exceptIds: readonly string[]): Promise<Array<{ id: string; external_id: string }>> {
    if (externalIds.length === 0) return [];
    return manager.query(
      `SELECT id, external_id FROM customers
        WHERE tenant_id = $1 AND deleted_at IS NULL AND external_id = ANY($2::text[]) AND NOT (id = ANY($3::uuid[]))`,
      [tenantId, [...externalIds], [...exceptIds]],
    );
  }

  // --- Duplicate pairs

  /** Every pair (open or dismissed) of these customers, as `to_jsonb` gives the row; locked unless only looked at. */
  async pairsOf(manager: EntityManager, tenantId: string, customerIds: readonly string[], options: { lock: boolean }): Promise<DuplicatePairRow[]> {
    const rows: Array<{ pair: DuplicatePairRow }> = await manager.query(
      `SELECT to_jsonb(d) AS pair FROM customer_duplicate_candidates d
        WHERE d.tenant_id = $1 AND (d.customer_a_id = ANY($2::uuid[]) OR d.customer_b_id = ANY($2::uuid[]))${options.lock ? ' FOR UPDATE' : ''}`,
      [tenantId, [...customerIds]],
    );
    return rows.map((row) => row.pair);
  }

  async movePairs(manager: EntityManager, tenantId: string, moves: PairMoves): Promise<void> {
    if (moves.dropped.length > 0) await manager.query(`DELETE FROM customer_duplicate_candidates WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, moves.dropped]);
    if (moves.moved.length === 0) return;
    await manager.query(
      `UPDATE customer_duplicate_candidates d SET customer_a_id = m.a, customer_b_id = m.b
         FROM jsonb_to_recordset($2::jsonb) AS m(id uuid, a uuid, b uuid)
        WHERE d.tenant_id = $1 AND d.id = m.id`,
      [tenantId, JSON.stringify(moves.moved)],
    );
  }

  /** Puts pairs back as they were before a merge (moved ones replaced, dropped ones inserted again). */
  async restorePairs(manager: EntityManager, tenantId: string, pairs: readonly DuplicatePairRow[]): Promise<void> {
    if (pairs.length === 0) return;
    await manager.query(`DELETE FROM customer_duplicate_candidates WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, pairs.map((pair) => pair.id)]);
    await manager.query(
      `INSERT INTO customer_duplicate_candidates
       SELECT * FROM jsonb_populate_recordset(NULL::customer_duplicate_candidates, $2::jsonb) WHERE tenant_id = $1
       ON CONFLICT DO NOTHING`,
      [tenantId, JSON.stringify(pairs)],
    );
  }

  // --- Merges

  async insert(manager: EntityManager, merge: NewMerge): Promise<void> {
    await manager.query(
      `INSERT INTO customer_merges (id, tenant_id, survivor_id, merged_ids, field_choices, survivor_version, duplicate_pairs, merged_by, merged_at)
       VALUES ($1, $2, $3, $4::uuid[], $5::jsonb, $6, $7::jsonb, $8, $9)`,
      [merge.id, merge.tenantId, merge.survivorId, [...merge.mergedIds], JSON.stringify(merge.fieldChoices), merge.survivorVersion, JSON.stringify(merge.duplicatePairs), merge.mergedBy, merge.mergedAt],
    );
    const snapshots = merge.snapshots.map((snapshot, ordinal) => ({ customer_id: snapshot.customerId, role: snapshot.role, ordinal, snapshot: snapshot.raw }));
    await manager.query(
      `INSERT INTO customer_merge_snapshots (merge_id, customer_id, tenant_id, role, ordinal, snapshot)
       SELECT $1, s.customer_id, $2, s.role, s.ordinal, s.snapshot FROM jsonb_to_recordset($3::jsonb) AS s(customer_id uuid, role text, ordinal int, snapshot jsonb)`,
      [merge.id, merge.tenantId, JSON.stringify(snapshots)],
    );
  }

  /** A merge whose survivor the caller's scope covers (the survivor's owner decides, whatever its state). */
  async findVisible(manager: EntityManager, tenantId: string, id: string, scope: OwnershipScope): Promise<MergeRow | null> {
    const [row] = await this.visible(manager, tenantId, scope).andWhere('m.id = :id', { id }).getRawMany<MergeRow>();
    return row ?? null;
  }

  /** Locks a merge row (an undo); its state as locked, with the duplicate pairs it changed. */
  async lock(manager: EntityManager, tenantId: string, id: string): Promise<(MergeRow & { duplicate_pairs: DuplicatePairRow[] }) | null> {
    const [row]: Array<MergeRow & { duplicate_pairs: DuplicatePairRow[] }> = await manager.query(
      `SELECT ${MERGE_COLUMNS.join(', ')}, duplicate_pairs FROM customer_merges WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenantId, id],
    );
    return row ?? null;
  }

  /** Merges visible to the caller, newest first, optionally only those `customerId` took part in (either side). */
  async page(manager: EntityManager, tenantId: string, filter: { customerId?: string }, scope: OwnershipScope, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<MergeRow>> {
    const qb = this.visible(manager, tenantId, scope);
    if (filter.customerId) {
      qb.andWhere('m.id IN (SELECT p.merge_id FROM customer_merge_snapshots p WHERE p.tenant_id = :tenantId AND p.customer_id = :customerId)', { customerId: filter.customerId });
    }
    const total = paging.total ? Number((await qb.clone().select('count(*)', 'count').getRawOne<{ count: string }>())?.count ?? 0) : undefined;
    if (paging.cursor) {
      const after = decodeCursor(paging.cursor);
      qb.andWhere('(m.merged_at, m.id) < (:cursorAt, :cursorId)', { cursorAt: after.at, cursorId: after.id });
    }
    const rows = await qb
      .orderBy('m.merged_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(paging.limit + 1)
      .getRawMany<MergeRow>();
    const items = rows.slice(0, paging.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > paging.limit ? encodeCursor({ at: last.merged_at, id: last.id }) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /** The customers of a merge as they were before it, survivor first. */
  async snapshots(manager: EntityManager, tenantId: string, mergeId: string): Promise<MergeSnapshot[]> {
    const rows: Array<Record<string, unknown> & { merge_customer_id: string; merge_role: 'survivor' | 'merged'; merge_snapshot: Record<string, unknown> | null }> = await manager.query(
      `SELECT s.customer_id AS merge_customer_id, s.role AS merge_role, s.snapshot AS merge_snapshot, r.*
         FROM customer_merge_snapshots s CROSS JOIN LATERAL jsonb_populate_record(NULL::customers, s.snapshot) r
        WHERE s.tenant_id = $1 AND s.merge_id = $2
        ORDER BY s.ordinal`,
      [tenantId, mergeId],
    );
    return rows.map((row) => ({
      customerId: row.merge_customer_id,
      role: row.merge_role,
      raw: row.merge_snapshot,
      customer: row.merge_snapshot ? customerFromRow(manager, row) : null,
    }));
  }

  async markUndone(manager: EntityManager, tenantId: string, id: string, undoneBy: string | null, at: Date): Promise<void> {
    await manager.query(`UPDATE customer_merges SET undone_by = $3, undone_at = $4 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, undoneBy, at]);
  }

  // --- Personal data

  /** Ids of the merges a customer took part in, either side, oldest first. */
  async mergeIdsOf(manager: EntityManager, tenantId: string, customerId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT m.id FROM customer_merges m
        WHERE m.tenant_id = $1 AND m.id IN (SELECT p.merge_id FROM customer_merge_snapshots p WHERE p.tenant_id = $1 AND p.customer_id = $2)
        ORDER BY m.merged_at, m.id`,
      [tenantId, customerId],
    );
    return rows.map((row) => row.id);
  }

  async findById(manager: EntityManager, tenantId: string, id: string): Promise<MergeRow | null> {
    const [row]: MergeRow[] = await manager.query(`SELECT ${MERGE_COLUMNS.join(', ')} FROM customer_merges WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return row ?? null;
  }

  /** Drops the snapshots and pair copies of these merges (they can no longer be undone); how many merges changed. */
  async eraseSnapshots(manager: EntityManager, tenantId: string, mergeIds: readonly string[]): Promise<number> {
    if (mergeIds.length === 0) return 0;
    await manager.query(`UPDATE customer_merge_snapshots SET snapshot = NULL WHERE tenant_id = $1 AND merge_id = ANY($2::uuid[]) AND snapshot IS NOT NULL`, [tenantId, [...mergeIds]]);
    const [, count] = (await manager.query(
      `UPDATE customer_merges SET duplicate_pairs = '[]', erased_at = now() WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND erased_at IS NULL`,
      [tenantId, [...mergeIds]],
    )) as [unknown, number];
    return count;
  }

  /**
   * Customers merged into this one, directly or through earlier merges (A into B, then B into this),
   * whose rows still hold personal data.
   */
  async mergedInto(manager: EntityManager, tenantId: string, survivorId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `WITH RECURSIVE absorbed(id) AS (
         SELECT id FROM customers WHERE tenant_id = $1 AND merged_into_id = $2
         UNION
         SELECT c.id FROM customers c JOIN absorbed a ON c.merged_into_id = a.id WHERE c.tenant_id = $1
       )
       SELECT id FROM absorbed`,
      [tenantId, survivorId],
    );
    return rows.map((row) => row.id);
  }

  private visible(manager: EntityManager, tenantId: string, scope: OwnershipScope): SelectQueryBuilder<Record<string, unknown>> {
    const qb = manager
      .createQueryBuilder()
      .select(MERGE_COLUMNS.map((column) => `m.${column} AS ${column}`))
      .from('customer_merges', 'm')
      .innerJoin('customers', 's', 's.id = m.survivor_id AND s.tenant_id = m.tenant_id')
      .where('m.tenant_id = :tenantId', { tenantId });
    return applyOwnershipScope(qb, { ownerColumn: 's.owner_id', teamMembersSql, scope });
  }

  private async customerColumns(manager: EntityManager): Promise<Set<string>> {
    const rows: Array<{ attname: string }> = await manager.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attnum > 0 AND NOT attisdropped`);
    return new Set(rows.map((row) => row.attname));
  }
}
