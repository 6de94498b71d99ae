import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvalidCursorError, isUuid, type Page } from '@crm/platform/api';
import type { OwnershipScope } from '@crm/platform/auth';
import { teamMembersSql } from '../users/users.repository';
import { detectionSql, MATCHES_PER_RULE, type DetectedPairRow } from './duplicate-rules';
import type { DuplicatePairRow, DuplicateScanRow } from './duplicate.mapper';
import type { DuplicateStatus } from './dto/duplicate.dto';

export interface DuplicateFilter {
  status: DuplicateStatus;
  minScore: number;
}

export interface Paging {
  limit: number;
  cursor?: string;
  total?: boolean;
}

/** A running scan that has not reported progress for this long is taken for dead (crash, kill -9). */
export const STALE_SCAN_SECONDS = 120;

const SCAN_BATCH_SQL = detectionSql({
  source: `SELECT s.customer_id AS id, s.phones, s.emails, s.name_search AS name_key, c.region, c.industry
             FROM customer_search s JOIN customers c ON c.id = s.customer_id AND c.deleted_at IS NULL
            WHERE s.customer_id = ANY($1::uuid[])`,
  tenant: '$2::uuid',
  threshold: '$3::real',
  limit: '$4::int',
  onlyHigher: true,
});

const SUMMARY_COLUMNS = ['id', 'name', 'name_en', 'type', 'phones', 'emails', 'region', 'industry', 'owner_id'];

/**
 * Pairs and scans, in plain SQL: both tables are read with leakproof conditions only, so row-level
 * security applies without costing the indexes. Every query filters by tenant as well.
 */
@Injectable()
export class DuplicatesRepository {
  /** Open (or dismissed) pairs whose two customers are both live and in the caller's scope; highest score first. */
  async page(manager: EntityManager, tenantId: string, filter: DuplicateFilter, scope: OwnershipScope, paging: Paging): Promise<Page<DuplicatePairRow>> {
    const query = new PairQuery(tenantId, scope);
    query.where(`d.status = ${query.param(filter.status)}`);
    if (filter.minScore > 0) query.where(`d.score >= ${query.param(filter.minScore)}::numeric`);
    const total = paging.total ? Number((await manager.query(query.count(), query.params))[0].count) : undefined;
    if (paging.cursor) {
      const after = decodeScoreCursor(paging.cursor);
      query.where(`(d.score, d.id) < (${query.param(after.score)}::numeric, ${query.param(after.id)}::uuid)`);
    }
    const rows: DuplicatePairRow[] = await manager.query(`${query.select()} ORDER BY d.score DESC, d.id DESC LIMIT ${query.param(paging.limit + 1)}`, query.params);
    const items = rows.slice(0, paging.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > paging.limit ? encodeScoreCursor(last.score, last.id) : null;
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /** One pair both of whose customers the caller may see, optionally locked. */
  async findInScope(manager: EntityManager, tenantId: string, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<DuplicatePairRow | null> {
    const query = new PairQuery(tenantId, scope);
    query.where(`d.id = ${query.param(id)}::uuid`);
    const rows: DuplicatePairRow[] = await manager.query(`${query.select()}${options.lock ? ' FOR UPDATE OF d' : ''}`, query.params);
    return rows[0] ?? null;
  }

  async dismiss(manager: EntityManager, id: string, dismissedBy: string): Promise<void> {
    await manager.query(`UPDATE customer_duplicate_candidates SET status = 'dismissed', dismissed_by = $2, dismissed_at = now() WHERE id = $1`, [id, dismissedBy]);
  }

  // --- Scans

  /** A new running scan; the unique index on running scans refuses a second one (unique violation). */
  async insertScan(manager: EntityManager, scan: { id: string; tenantId: string; requestedBy: string }): Promise<void> {
    await manager.query(
      `INSERT INTO customer_duplicate_scans (id, tenant_id, requested_by, customers_total)
       SELECT $1, $2, $3, (SELECT count(*) FROM customers WHERE tenant_id = $2 AND deleted_at IS NULL)`,
      [scan.id, scan.tenantId, scan.requestedBy],
    );
  }

  async findScan(manager: EntityManager, tenantId: string, id: string): Promise<DuplicateScanRow | null> {
    const rows: DuplicateScanRow[] = await manager.query(`SELECT * FROM customer_duplicate_scans WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ?? null;
  }

  async runningScanId(manager: EntityManager, tenantId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM customer_duplicate_scans WHERE tenant_id = $1 AND status = 'running'`, [tenantId]);
    return rows[0]?.id ?? null;
  }

  /**
   * Marks running scans without progress for STALE_SCAN_SECONDS (or all running ones, `olderThanSeconds`
   * 0) failed: a scan whose process died is never left "running". Returns how many.
   */
  async failStaleScans(manager: EntityManager, reason: string, olderThanSeconds = STALE_SCAN_SECONDS, tenantId?: string): Promise<number> {
    const [, count] = (await manager.query(
      `UPDATE customer_duplicate_scans SET status = 'failed', error = $1, finished_at = now(), updated_at = now()
        WHERE status = 'running' AND updated_at < now() - make_interval(secs => $2) AND ($3::uuid IS NULL OR tenant_id = $3)`,
      [reason, olderThanSeconds, tenantId ?? null],
    )) as [unknown, number];
    return count;
  }

  /** The next `size` customers of the tenant after `afterId` (customer_search order: its primary key). */
  async nextScanBatch(manager: EntityManager, tenantId: string, afterId: string | null, size: number): Promise<string[]> {
    const rows: Array<{ customer_id: string }> = await manager.query(
      `SELECT customer_id FROM customer_search WHERE tenant_id = $1 AND ($2::uuid IS NULL OR customer_id > $2) ORDER BY customer_id LIMIT $3`,
      [tenantId, afterId, size],
    );
    return rows.map((row) => row.customer_id);
  }

  /** The pairs of these customers with customers sorting after them, found and stored in one statement. */
  detectForScan(manager: EntityManager, tenantId: string, customerIds: readonly string[], threshold: number): Promise<DetectedPairRow[]> {
    return manager.query(SCAN_BATCH_SQL, [[...customerIds], tenantId, threshold, MATCHES_PER_RULE]);
  }

  async recordScanProgress(manager: EntityManager, id: string, progress: { scanned: number; pairs: number; lastCustomerId: string }): Promise<void> {
    await manager.query(
      `UPDATE customer_duplicate_scans SET customers_scanned = customers_scanned + $2, pairs_found = pairs_found + $3, last_customer_id = $4, updated_at = now()
        WHERE id = $1`,
      [id, progress.scanned, progress.pairs, progress.lastCustomerId],
    );
  }

  async finishScan(manager: EntityManager, id: string, outcome: { status: 'completed' | 'failed'; error?: string }): Promise<void> {
    await manager.query(
      `UPDATE customer_duplicate_scans SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`,
      [id, outcome.status, outcome.error ?? null],
    );
  }
}

/** The list's select: the pair joined to both live customers, each narrowed to the caller's scope. */
class PairQuery {
  readonly params: unknown[] = [];
  private readonly conditions: string[];

  constructor(tenantId: string, scope: OwnershipScope) {
    this.conditions = [`d.tenant_id = ${this.param(tenantId)}::uuid`, ...['a', 'b'].map((alias) => this.scoped(alias, scope)).filter((sql) => sql !== '')];
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): void {
    this.conditions.push(condition);
  }

  select(): string {
    const columns = ['a', 'b'].flatMap((alias) => SUMMARY_COLUMNS.map((column) => `${alias}.${column} AS ${alias}_${column}`));
    return `SELECT d.id, d.score::text AS score, d.reasons, d.status, d.detected_at, ${columns.join(', ')} ${this.from()}`;
  }

  count(): string {
    return `SELECT count(*) AS count ${this.from()}`;
  }

  private from(): string {
    return `FROM customer_duplicate_candidates d
      JOIN customers a ON a.id = d.customer_a_id AND a.deleted_at IS NULL
      JOIN customers b ON b.id = d.customer_b_id AND b.deleted_at IS NULL
     WHERE ${this.conditions.join(' AND ')}`;
  }

  /** The same rule as applyOwnershipScope, on one side of the pair. */
  private scoped(alias: string, scope: OwnershipScope): string {
    switch (scope.kind) {
      case 'tenant':
        return '';
      case 'own':
        return `${alias}.owner_id = ${this.param(scope.userId)}::uuid`;
      case 'team':
        return `(${alias}.owner_id = ${this.param(scope.userId)}::uuid OR ${alias}.owner_id IN (${teamMembersSql(`${this.param([...scope.teamIds])}::uuid[]`)}))`;
    }
  }
}

/** Keyset cursor of the list: the last pair's score (exact, as text) and id. */
export function encodeScoreCursor(score: string, id: string): string {
  return Buffer.from(JSON.stringify([score, id])).toString('base64url');
}

export function decodeScoreCursor(cursor: string): { score: string; id: string } {
  try {
    const [score, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof score !== 'string' || !/^[01](\.\d{1,3})?$/.test(score) || typeof id !== 'string' || !isUuid(id)) throw new InvalidCursorError();
    return { score, id };
  } catch {
    throw new InvalidCursorError();
  }
}
