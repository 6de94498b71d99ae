import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { requireTenantId } from '@crm/platform/database';
import { DEFAULT_OPEN_STAGES, DEFAULT_PIPELINE_NAME, withClosingStages, type Pipeline, type PipelineStage, type StageKind } from './pipeline.model';

interface PipelineRow {
  id: string;
  tenant_id: string;
  name: string;
  is_default: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface StageRow {
  pipeline_id: string;
  key: string;
  name: string;
  name_en: string | null;
  kind: StageKind;
  position: number;
  probability: number;
  rotting_days: number | null;
}

/** Pipelines and their stages (SQL: a pipeline is always read with its stages). */
@Injectable()
export class PipelinesRepository {
  /**
   * The tenant's default pipeline, created with the standard stages on first use. Two requests creating it
   * at once meet on the unique (tenant) WHERE is_default index: the loser inserts nothing and reads the winner's.
   */
  async ensureDefault(manager: EntityManager): Promise<Pipeline> {
    const tenantId = requireTenantId();
    const existing = await this.findDefault(manager);
    if (existing) return existing;
    const id = randomUUID();
    const inserted: unknown[] = await manager.query(
      `INSERT INTO pipelines (id, tenant_id, name, is_default) VALUES ($1, $2, $3, true)
       ON CONFLICT (tenant_id) WHERE is_default DO NOTHING RETURNING id`,
      [id, tenantId, DEFAULT_PIPELINE_NAME],
    );
    if (inserted.length > 0) await this.insertStages(manager, id, withClosingStages(DEFAULT_OPEN_STAGES));
    const created = await this.findDefault(manager);
    if (!created) throw new Error('default pipeline vanished after creation');
    return created;
  }

  async findDefault(manager: EntityManager): Promise<Pipeline | null> {
    const rows: PipelineRow[] = await manager.query(`SELECT * FROM pipelines WHERE tenant_id = $1 AND is_default`, [requireTenantId()]);
    return rows[0] ? this.withStages(manager, rows[0]) : null;
  }

  /** A pipeline of the current tenant; `lock` holds it (and so its stages) until the transaction ends. */
  async findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<Pipeline | null> {
    const rows: PipelineRow[] = await manager.query(`SELECT * FROM pipelines WHERE tenant_id = $1 AND id = $2${options.lock ? ' FOR UPDATE' : ''}`, [requireTenantId(), id]);
    return rows[0] ? this.withStages(manager, rows[0]) : null;
  }

  /** Oldest first (the default is usually the first), keyset over (created_at, id). */
  async page(manager: EntityManager, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<Pipeline>> {
    const tenantId = requireTenantId();
    const params: unknown[] = [tenantId, paging.limit + 1];
    let after = '';
    if (paging.cursor) {
      const position = decodeCursor(paging.cursor);
      params.push(position.at, position.id);
      after = ` AND (created_at, id) > ($3, $4)`;
    }
    const rows: PipelineRow[] = await manager.query(`SELECT * FROM pipelines WHERE tenant_id = $1${after} ORDER BY created_at, id LIMIT $2`, params);
    const pageRows = rows.slice(0, paging.limit);
    const stages = await this.stagesOf(manager, pageRows.map((row) => row.id));
    const items = pageRows.map((row) => toPipeline(row, stages.get(row.id) ?? []));
    const last = pageRows[pageRows.length - 1];
    const nextCursor = rows.length > paging.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null;
    if (!paging.total) return { items, nextCursor };
    const [{ count }]: Array<{ count: string }> = await manager.query(`SELECT count(*) AS count FROM pipelines WHERE tenant_id = $1`, [tenantId]);
    return { items, nextCursor, total: Number(count) };
  }

  async insert(manager: EntityManager, pipeline: Pipeline): Promise<void> {
    await manager.query(`INSERT INTO pipelines (id, tenant_id, name, is_default, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
      pipeline.id,
      pipeline.tenantId,
      pipeline.name,
      pipeline.isDefault,
      pipeline.version,
      pipeline.createdAt,
    ]);
    await this.insertStages(manager, pipeline.id, pipeline.stages);
  }

  /** Saves name, default flag, version and the whole stage list. */
  async update(manager: EntityManager, pipeline: Pipeline): Promise<void> {
    await manager.query(`UPDATE pipelines SET name = $3, is_default = $4, version = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2`, [
      pipeline.tenantId,
      pipeline.id,
      pipeline.name,
      pipeline.isDefault,
      pipeline.version,
      pipeline.updatedAt,
    ]);
    await manager.query(`DELETE FROM pipeline_stages WHERE pipeline_id = $1`, [pipeline.id]);
    await this.insertStages(manager, pipeline.id, pipeline.stages);
  }

  /** Makes no pipeline of the tenant the default (before another one becomes it). */
  async clearDefault(manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE pipelines SET is_default = false, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND is_default`, [requireTenantId()]);
  }

  /** Which of `keys` opportunities of the pipeline are in now (any status). */
  async stagesInUse(manager: EntityManager, pipelineId: string, keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ stage: string }> = await manager.query(
      `SELECT k AS stage FROM unnest($3::text[]) AS k
        WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.tenant_id = $1 AND o.pipeline_id = $2 AND o.stage = k)`,
      [requireTenantId(), pipelineId, [...keys]],
    );
    return rows.map((row) => row.stage);
  }

  private async insertStages(manager: EntityManager, pipelineId: string, stages: readonly PipelineStage[]): Promise<void> {
    await manager.query(
      `INSERT INTO pipeline_stages (pipeline_id, tenant_id, key, name, name_en, kind, position, probability, rotting_days)
       SELECT $1, $2, s.key, s.name, s.name_en, s.kind, s.position, s.probability, s.rotting_days
         FROM jsonb_to_recordset($3::jsonb) AS s(key text, name text, name_en text, kind text, position int, probability int, rotting_days int)`,
      [
        pipelineId,
        requireTenantId(),
        JSON.stringify(
          stages.map((stage) => ({
            key: stage.key,
            name: stage.name,
            name_en: stage.nameEn,
            kind: stage.kind,
            position: stage.position,
            probability: stage.probability,
            rotting_days: stage.rottingDays,
          })),
        ),
      ],
    );
  }

  private async withStages(manager: EntityManager, row: PipelineRow): Promise<Pipeline> {
    const stages = await this.stagesOf(manager, [row.id]);
    return toPipeline(row, stages.get(row.id) ?? []);
  }

  private async stagesOf(manager: EntityManager, pipelineIds: readonly string[]): Promise<Map<string, PipelineStage[]>> {
    const byPipeline = new Map<string, PipelineStage[]>();
    if (pipelineIds.length === 0) return byPipeline;
    const rows: StageRow[] = await manager.query(`SELECT * FROM pipeline_stages WHERE tenant_id = $1 AND pipeline_id = ANY($2::uuid[]) ORDER BY pipeline_id, position`, [
      requireTenantId(),
      [...pipelineIds],
    ]);
    for (const row of rows) {
      const list = byPipeline.get(row.pipeline_id) ?? [];
      list.push({ key: row.key, name: row.name, nameEn: row.name_en, kind: row.kind, position: row.position, probability: row.probability, rottingDays: row.rotting_days });
      byPipeline.set(row.pipeline_id, list);
    }
    return byPipeline;
  }
}

function toPipeline(row: PipelineRow, stages: PipelineStage[]): Pipeline {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, isDefault: row.is_default, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at, stages };
}
