import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { Page } from '@crm/platform/api';
import { param, rawPage } from '../activities/work-sql';

export interface TemplateVariant {
  locale: string;
  subject: string | null;
  body: string;
}

export interface TemplateRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  description: string | null;
  variables: string[];
  variants: TemplateVariant[];
  status: string;
  published_version: number | null;
  /** The working copy equals the latest published version. */
  published_current: boolean;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TemplateVersionRow {
  template_id: string;
  published_version: number;
  name: string;
  kind: string;
  variables: string[];
  variants: TemplateVariant[];
  published_by: string | null;
  published_at: Date;
}

const COLUMNS = `t.id, t.tenant_id, t.name, t.kind, t.description, t.variables, t.variants, t.status, t.published_version, t.version, t.created_by, t.created_at, t.updated_at,
  EXISTS (SELECT 1 FROM message_template_versions v WHERE v.template_id = t.id AND v.published_version = t.published_version
          AND v.name = t.name AND v.variables = t.variables AND v.variants = t.variants) AS published_current`;

/** Templates (working copies) and their published versions. */
@Injectable()
export class TemplatesRepository {
  async find(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<TemplateRow | null> {
    if (options.lock) await manager.query(`SELECT 1 FROM message_templates WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [requireTenantId(), id]);
    const rows: TemplateRow[] = await manager.query(`SELECT ${COLUMNS} FROM message_templates t WHERE t.tenant_id = $1 AND t.id = $2`, [requireTenantId(), id]);
    return rows[0] ?? null;
  }

  page(manager: EntityManager, filter: { kind?: string; status?: string; locale?: string }, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<TemplateRow>> {
    const params: unknown[] = [requireTenantId()];
    const where = ['t.tenant_id = $1'];
    if (filter.kind) where.push(`t.kind = ${param(params, filter.kind)}`);
    if (filter.status) where.push(`t.status = ${param(params, filter.status)}`);
    if (filter.locale) where.push(`t.variants @> ${param(params, JSON.stringify([{ locale: filter.locale }]))}::jsonb`);
    return rawPage<TemplateRow>(manager, { select: `SELECT ${COLUMNS} FROM message_templates t`, where, params, timeColumn: 't.created_at', idColumn: 't.id', ...paging }, (row) => ({
      at: row.created_at,
      id: row.id,
    }));
  }

  async insert(manager: EntityManager, row: Pick<TemplateRow, 'id' | 'name' | 'kind' | 'description' | 'variables' | 'variants' | 'created_by'>): Promise<void> {
    await manager.query(
      `INSERT INTO message_templates (id, tenant_id, name, kind, description, variables, variants, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'draft', $8)`,
      [row.id, requireTenantId(), row.name, row.kind, row.description, row.variables, JSON.stringify(row.variants), row.created_by],
    );
  }

  async update(manager: EntityManager, row: TemplateRow): Promise<void> {
    const updated = await modifyingQuery(
      manager,
      `UPDATE message_templates SET name = $3, description = $4, variables = $5, variants = $6::jsonb, status = $7, published_version = $8, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [requireTenantId(), row.id, row.name, row.description, row.variables, JSON.stringify(row.variants), row.status, row.published_version],
    );
    if (updated.length !== 1) throw new Error(`template ${row.id} vanished while being updated`);
  }

  async insertVersion(manager: EntityManager, row: TemplateVersionRow): Promise<void> {
    await manager.query(
      `INSERT INTO message_template_versions (template_id, published_version, tenant_id, name, kind, variables, variants, published_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [row.template_id, row.published_version, requireTenantId(), row.name, row.kind, row.variables, JSON.stringify(row.variants), row.published_by, row.published_at],
    );
  }

  async findVersion(manager: EntityManager, templateId: string, version: number): Promise<TemplateVersionRow | null> {
    const rows: TemplateVersionRow[] = await manager.query(
      `SELECT template_id, published_version, name, kind, variables, variants, published_by, published_at FROM message_template_versions
        WHERE tenant_id = $1 AND template_id = $2 AND published_version = $3`,
      [requireTenantId(), templateId, version],
    );
    return rows[0] ?? null;
  }

  versions(manager: EntityManager, templateId: string): Promise<TemplateVersionRow[]> {
    return manager.query(
      `SELECT template_id, published_version, name, kind, variables, variants, published_by, published_at FROM message_template_versions
        WHERE tenant_id = $1 AND template_id = $2 ORDER BY published_version DESC`,
      [requireTenantId(), templateId],
    );
  }
}
