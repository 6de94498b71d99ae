import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { fetchPage, type Page } from '@crm/platform/api';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { requireTenantId, TenantScopedRepository } from '@crm/platform/database';
import { nameSearchKey } from '@crm/platform/standardisation';
import { teamMembersSql } from '../users/users.repository';
import { isOpen, LeadEntity, type LeadStatus } from './lead.entity';

export interface LeadFilter {
  status?: LeadStatus;
  ownerId?: string;
  channel?: string;
  minScore?: number;
}

export interface Paging {
  limit: number;
  cursor?: string;
  total?: boolean;
}

/** An open lead a dedup probe found. */
export interface OpenLeadMatch {
  leadId: string;
  matchedOn: 'phone' | 'email' | 'name';
  similarity: number;
}

const OPEN = `status IN ('new', 'working', 'qualified')`;

/** Legal-form endings nearly every company name has; they add trigrams every name shares and say nothing about which company it is. */
const LEGAL_FORM = /(?:\s|[,.])*(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司|集团|公司|co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|llc|corp\.?|corporation|company|gmbh)$/u;

/**
 * The comparison key of a lead's company name: the shared name key (folded, lower-case) without its
 * legal form, so 杭州远帆网络科技有限公司 and 杭州远帆网络科技公司 compare equal, and the trigram index is
 * not flooded by the 有限公司 every name ends with.
 */
export function companyNameKey(companyName: string): string {
  const full = nameSearchKey(companyName);
  let key = full;
  for (let previous = ''; previous !== key; ) {
    previous = key;
    key = key.replace(LEGAL_FORM, '').trim();
  }
  return key.length >= 2 ? key : full;
}

@Injectable()
export class LeadsRepository extends TenantScopedRepository<LeadEntity> {
  constructor() {
    super(LeadEntity);
  }

  /**
   * The platform's ownership scope, plus, for a manager, the unassigned leads their teams' rules left
   * without an owner (every rep at capacity), so they can give them to someone.
   */
  private inScope(manager: EntityManager, scope: OwnershipScope): SelectQueryBuilder<LeadEntity> {
    const qb = this.query(manager, 'l');
    if (scope.kind !== 'team') return applyOwnershipScope(qb, { ownerColumn: 'l.ownerId', teamMembersSql, scope });
    return qb.andWhere(`(l.ownerId = :scopeUserId OR l.ownerId IN (${teamMembersSql(':scopeTeamIds')}) OR (l.ownerId IS NULL AND l.teamId = ANY(:scopeTeamIds)))`, {
      scopeUserId: scope.userId,
      scopeTeamIds: [...scope.teamIds],
    });
  }

  /** A lead the scope lets the caller see, optionally locked for update. */
  findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<LeadEntity | null> {
    const qb = this.inScope(manager, scope).andWhere('l.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** A lead of the tenant whatever the scope (dedup merges into leads the caller may not own), locked for update. */
  findForUpdate(manager: EntityManager, id: string): Promise<LeadEntity | null> {
    return this.query(manager, 'l').andWhere('l.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Newest first; every filter narrows an indexed list (tenant+status, tenant+owner, or tenant). */
  page(manager: EntityManager, filter: LeadFilter, scope: OwnershipScope, paging: Paging): Promise<Page<LeadEntity>> {
    const qb = this.inScope(manager, scope);
    if (filter.status) qb.andWhere('l.status = :status', { status: filter.status });
    if (filter.ownerId) qb.andWhere('l.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.channel) qb.andWhere('l.channel = :channel', { channel: filter.channel });
    if (filter.minScore !== undefined) qb.andWhere('l.score >= :minScore', { minScore: filter.minScore });
    return fetchPage(qb, { timeColumn: 'l.createdAt', idColumn: 'l.id', direction: 'DESC', ...paging }, (lead) => ({ at: lead.createdAt, id: lead.id }));
  }

  async insert(manager: EntityManager, lead: LeadEntity): Promise<void> {
    await this.repository(manager).insert(lead);
    await this.indexName(manager, lead);
  }

  async save(manager: EntityManager, lead: LeadEntity): Promise<void> {
    await this.saveScoped(manager, lead);
    await this.indexName(manager, lead);
  }

  /** The oldest open lead with this phone (E.164) or e-mail (lower-case): the partial indexes on open leads. */
  async findOpenByContact(manager: EntityManager, contact: { phone: string | null; email: string | null }): Promise<OpenLeadMatch | undefined> {
    const tenantId = requireTenantId();
    for (const [column, value] of [['phone', contact.phone], ['email', contact.email]] as const) {
      if (!value) continue;
      const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM leads WHERE tenant_id = $1 AND ${column} = $2 AND ${OPEN} ORDER BY created_at, id LIMIT 1`, [tenantId, value]);
      if (rows[0]) return { leadId: rows[0].id, matchedOn: column, similarity: 1 };
    }
    return undefined;
  }

  /**
   * The open lead whose company name is most similar to `companyName`, if at least `threshold` (0–1):
   * trigram search on the no-RLS `lead_name_search` with an explicit tenant filter, joined back to the
   * RLS-protected `leads`. The transaction's trigram threshold is raised to `threshold`, so the GIN
   * index itself drops the weak candidates.
   */
  async findOpenBySimilarName(manager: EntityManager, companyName: string, threshold: number): Promise<OpenLeadMatch | undefined> {
    const key = companyNameKey(companyName);
    if (key.length < 2) return undefined;
    await manager.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(threshold)]);
    const rows: Array<{ id: string; similarity: number }> = await manager.query(
      `SELECT l.id, m.similarity
         FROM (SELECT s.lead_id, similarity(s.name_key, $2) AS similarity
                 FROM lead_name_search s
                WHERE s.tenant_id = $1 AND s.name_key % $2
                ORDER BY similarity DESC LIMIT 5) m
         JOIN leads l ON l.id = m.lead_id AND l.${OPEN}
        WHERE m.similarity >= $3
        ORDER BY m.similarity DESC, l.created_at, l.id
        LIMIT 1`,
      [requireTenantId(), key, threshold],
    );
    return rows[0] ? { leadId: rows[0].id, matchedOn: 'name', similarity: Number(rows[0].similarity) } : undefined;
  }

  /** Keeps `lead_name_search` to open leads with a company name. */
  private async indexName(manager: EntityManager, lead: LeadEntity): Promise<void> {
    const key = lead.companyName && isOpen(lead) ? companyNameKey(lead.companyName) : '';
    if (key.length >= 2) {
      await manager.query(
        `INSERT INTO lead_name_search (lead_id, tenant_id, name_key) VALUES ($1, $2, $3) ON CONFLICT (lead_id) DO UPDATE SET name_key = EXCLUDED.name_key`,
        [lead.id, lead.tenantId, key],
      );
    } else {
      await manager.query(`DELETE FROM lead_name_search WHERE lead_id = $1`, [lead.id]);
    }
  }
}
