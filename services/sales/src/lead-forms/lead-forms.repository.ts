import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@crm/platform/api';
import { modifyingQuery, requireTenantId } from '@crm/platform/database';
import type { LeadChannel } from '../lead-scoring/lead-scoring';

export interface LeadForm {
  id: string;
  tenantId: string;
  formKey: string;
  name: string;
  channel: LeadChannel;
  fields: string[];
  campaignId: string | null;
  active: boolean;
  submissionsPerMinute: number;
  createdAt: Date;
  version: number;
}

interface FormRow {
  id: string;
  tenant_id: string;
  form_key: string;
  name: string;
  channel: LeadChannel;
  fields: string[];
  campaign_id: string | null;
  active: boolean;
  submissions_per_minute: number;
  created_at: Date;
  version: number;
}

const COLUMNS = `id, tenant_id, form_key, name, channel, fields, campaign_id, active, submissions_per_minute, created_at, version`;

function toForm(row: FormRow): LeadForm {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    formKey: row.form_key,
    name: row.name,
    channel: row.channel,
    fields: row.fields,
    campaignId: row.campaign_id,
    active: row.active,
    submissionsPerMinute: row.submissions_per_minute,
    createdAt: row.created_at,
    version: row.version,
  };
}

@Injectable()
export class LeadFormsRepository {
  async insert(manager: EntityManager, form: LeadForm, createdBy: string | null): Promise<void> {
    await manager.query(
      `INSERT INTO lead_forms (id, tenant_id, form_key, name, channel, fields, campaign_id, active, submissions_per_minute, created_by, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)`,
      [form.id, form.tenantId, form.formKey, form.name, form.channel, form.fields, form.campaignId, form.active, form.submissionsPerMinute, createdBy, form.createdAt, form.version],
    );
  }

  async page(manager: EntityManager, paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<LeadForm>> {
    const tenantId = requireTenantId();
    const after = paging.cursor ? decodeCursor(paging.cursor) : undefined;
    const rows: FormRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM lead_forms
        WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [tenantId, after?.at ?? null, after?.id ?? null, paging.limit + 1],
    );
    const items = rows.slice(0, paging.limit).map(toForm);
    const nextCursor = rows.length > paging.limit ? encodeCursor({ at: items[items.length - 1].createdAt, id: items[items.length - 1].id }) : null;
    if (!paging.total) return { items, nextCursor };
    const [count] = await manager.query(`SELECT count(*) AS count FROM lead_forms WHERE tenant_id = $1`, [tenantId]);
    return { items, nextCursor, total: Number(count.count) };
  }

  /** The form behind a public key, whatever the tenant: the caller runs this as the system (the key is how the tenant is found). */
  async findByKey(manager: EntityManager, formKey: string): Promise<LeadForm | undefined> {
    const rows: FormRow[] = await manager.query(`SELECT ${COLUMNS} FROM lead_forms WHERE form_key = $1`, [formKey]);
    return rows[0] ? toForm(rows[0]) : undefined;
  }

  /**
   * Counts a submission in the form's current one-minute window and returns the count including it.
   * The form row is locked until the transaction ends, so the count is exact across instances.
   */
  async countSubmission(manager: EntityManager, formId: string, windowStart: Date): Promise<number> {
    const rows = await modifyingQuery<{ count: number }>(
      manager,
      `UPDATE lead_forms
          SET rate_window_count = CASE WHEN rate_window_start = $2 THEN rate_window_count + 1 ELSE 1 END, rate_window_start = $2
        WHERE id = $1 AND tenant_id = $3
        RETURNING rate_window_count AS count`,
      [formId, windowStart, requireTenantId()],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Whether the same submission reached this form since `since`. */
  async seenRecently(manager: EntityManager, formId: string, fingerprint: string, since: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM lead_form_submissions WHERE form_id = $1 AND fingerprint = $2 AND submitted_at >= $3 AND tenant_id = $4 LIMIT 1`,
      [formId, fingerprint, since, requireTenantId()],
    );
    return rows.length > 0;
  }

  /** Remembers a submission's fingerprint; forgets this form's fingerprints older than `forgetBefore`. */
  async recordSubmission(manager: EntityManager, submission: { id: string; formId: string; fingerprint: string; leadId: string | null; at: Date }, forgetBefore: Date): Promise<void> {
    const tenantId = requireTenantId();
    await manager.query(`DELETE FROM lead_form_submissions WHERE form_id = $1 AND tenant_id = $2 AND submitted_at < $3`, [submission.formId, tenantId, forgetBefore]);
    await manager.query(`INSERT INTO lead_form_submissions (id, tenant_id, form_id, fingerprint, lead_id, submitted_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      submission.id,
      tenantId,
      submission.formId,
      submission.fingerprint,
      submission.leadId,
      submission.at,
    ]);
  }
}
