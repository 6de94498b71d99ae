import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { modifyingQuery } from '../database/modifying-query';

/** A key as stored: still being processed, or done with the response to replay. */
export type StoredKey = { state: 'in_flight'; fingerprint: string } | { state: 'done'; fingerprint: string; statusCode: number; body: unknown };

/** How long a key is remembered: a client retrying a write has a day to do so. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** The service's idempotency_keys table, used outside business transactions (keys must survive their rollback). */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims the key for a new request; false when it exists (then `find` says what it holds). */
  async claim(tenantId: string, key: string, fingerprint: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (tenant_id, idempotency_key, fingerprint, state) VALUES ($1, $2, $3, 'in_flight')
       ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight', status_code = NULL, response_body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
       RETURNING idempotency_key`,
      [tenantId, key, fingerprint, IDEMPOTENCY_KEY_TTL_HOURS],
    );
    return rows.length === 1;
  }

  async find(tenantId: string, key: string): Promise<StoredKey | undefined> {
    const rows: Array<{ state: 'in_flight' | 'done'; fingerprint: string; status_code: number | null; response_body: string | null }> = await this.dataSource.query(
      `SELECT state, fingerprint, status_code, response_body FROM idempotency_keys WHERE tenant_id = $1 AND idempotency_key = $2`,
      [tenantId, key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.state === 'in_flight') return { state: 'in_flight', fingerprint: row.fingerprint };
    return { state: 'done', fingerprint: row.fingerprint, statusCode: row.status_code ?? 200, body: row.response_body === null ? undefined : JSON.parse(row.response_body) };
  }

  async complete(tenantId: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET state = 'done', status_code = $3, response_body = $4 WHERE tenant_id = $1 AND idempotency_key = $2`, [
      tenantId,
      key,
      statusCode,
      body === undefined ? null : JSON.stringify(body),
    ]);
  }

  /** The request failed: the key is free again, so a corrected retry may use it. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND idempotency_key = $2 AND state = 'in_flight'`, [tenantId, key]);
  }

  /** Forgets keys older than the TTL; returns how many. */
  async prune(now: Date): Promise<number> {
    const rows = await modifyingQuery(this.dataSource.manager, `DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz - make_interval(hours => $2) RETURNING 1`, [
      now.toISOString(),
      IDEMPOTENCY_KEY_TTL_HOURS,
    ]);
    return rows.length;
  }
}
