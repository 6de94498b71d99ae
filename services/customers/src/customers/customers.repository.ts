import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { applyOwnershipScope, type OwnershipScope } from '@crm/platform/auth';
import { TenantScopedRepository } from '@crm/platform/database';
import { teamMembersSql } from '../users/users.repository';
import type { LifecycleStage, ValueTier } from './customer-fields';
import { CustomerEntity } from './customer.entity';
import { normaliseText } from '../standardisation';
import { containsPattern, planSearch, prefixPattern } from './customer-search';
import { fetchPage, type Page } from '@crm/platform/api';

export interface CustomerFilter {
  q?: string;
  ownerId?: string;
  stage?: LifecycleStage;
  tier?: ValueTier;
  tag?: string;
  region?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface Paging {
  limit: number;
  cursor?: string;
  total?: boolean;
}

@Injectable()
export class CustomersRepository extends TenantScopedRepository<CustomerEntity> {
  constructor() {
    super(CustomerEntity);
  }

  /** Live (not deleted) customers of the current tenant in the caller's scope. */
  private live(manager: EntityManager, scope: OwnershipScope): SelectQueryBuilder<CustomerEntity> {
    const qb = this.query(manager, 'c').andWhere('c.deletedAt IS NULL');
    return applyOwnershipScope(qb, { ownerColumn: 'c.ownerId', teamMembersSql, scope });
  }

  /** A live customer the scope allows the caller to see, optionally locked for update. */
  findInScope(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<CustomerEntity | null> {
    const qb = this.live(manager, scope).andWhere('c.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Live customers of the tenant (any scope) with these external ids, locked for update: batch upserts. */
  findByExternalIdsForUpdate(manager: EntityManager, externalIds: readonly string[]): Promise<CustomerEntity[]> {
    if (externalIds.length === 0) return Promise.resolve([]);
    return this.query(manager, 'c')
      .andWhere('c.deletedAt IS NULL')
      .andWhere({ externalId: In([...externalIds]) })
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Which of these ids are live customers in the scope (the batch's scope check of existing rows). */
  async idsInScope(manager: EntityManager, ids: readonly string[], scope: OwnershipScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.live(manager, scope).select('c.id', 'id').andWhere({ id: In([...ids]) }).getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Newest first. Every filter has an index: equality filters lead a (tenant, x, created_at, id)
   * index, the created range uses the (tenant, created_at, id) index the order needs anyway, and
   * search and tags the GIN indexes of customer_search.
   */
  page(manager: EntityManager, filter: CustomerFilter, scope: OwnershipScope, paging: Paging): Promise<Page<CustomerEntity>> {
    const qb = this.live(manager, scope);
    if (filter.ownerId) qb.andWhere('c.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.stage) qb.andWhere('c.lifecycleStage = :stage', { stage: filter.stage });
    if (filter.tier) qb.andWhere('c.valueTier = :tier', { tier: filter.tier });
    if (filter.region) qb.andWhere('c.region = :region', { region: filter.region });
    if (filter.createdFrom) qb.andWhere('c.createdAt >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdTo) qb.andWhere('c.createdAt < :createdTo', { createdTo: filter.createdTo });
    const search = searchConditions(filter);
    if (search.length > 0) {
      // customer_search has GIN indexes RLS would not let a query of customers use; its rows only ever
      // select ids here, and every row returned still passes the customers policy.
      const conditions = search.map((condition) => condition.sql).join(' AND ');
      qb.andWhere(`c.id IN (SELECT s.customer_id FROM customer_search s WHERE s.tenant_id = :tenantId AND ${conditions})`, Object.assign({}, ...search.map((condition) => condition.params)));
    }
    return fetchPage(qb, { timeColumn: 'c.createdAt', idColumn: 'c.id', direction: 'DESC', ...paging }, (customer) => ({ at: customer.createdAt, id: customer.id }));
  }

  /** A new customer of the current tenant, not yet saved. */
  create(manager: EntityManager, values: Omit<CustomerEntity, 'tenantId'>): CustomerEntity {
    return this.createScoped(manager, values);
  }

  async insert(manager: EntityManager, customers: CustomerEntity[]): Promise<void> {
    if (customers.length > 0) await this.repository(manager).insert(customers);
  }

  save(manager: EntityManager, customer: CustomerEntity): Promise<CustomerEntity> {
    return this.saveScoped(manager, customer);
  }
}

interface Condition {
  sql: string;
  params: Record<string, unknown>;
}

/** Conditions on customer_search for the tag filter and the search `q` (see planSearch). */
export function searchConditions(filter: Pick<CustomerFilter, 'q' | 'tag'>): Condition[] {
  const conditions: Condition[] = [];
  if (filter.tag) conditions.push({ sql: 's.tags @> CAST(ARRAY[:tag] AS text[])', params: { tag: normaliseText(filter.tag).toLowerCase() } });
  if (!filter.q) return conditions;
  const plan = planSearch(filter.q);
  switch (plan.kind) {
    case 'none':
      break;
    case 'phone':
      conditions.push({
        sql: '(s.phone_search LIKE :phonePattern OR s.name_search LIKE :namePattern)',
        params: { phonePattern: containsPattern(plan.digits), namePattern: containsPattern(plan.nameKey) },
      });
      break;
    case 'email':
      conditions.push({ sql: 's.email_search LIKE :emailPattern', params: { emailPattern: containsPattern(plan.text) } });
      break;
    case 'name':
      if (plan.length >= 3) conditions.push({ sql: '(s.name_search LIKE :namePattern OR s.email_search LIKE :namePattern)', params: { namePattern: containsPattern(plan.key) } });
      else if (plan.length === 2) conditions.push({ sql: 's.name_bigrams @> CAST(ARRAY[:bigram] AS text[])', params: { bigram: plan.key } });
      else conditions.push({ sql: 's.name_search LIKE :namePrefix', params: { namePrefix: prefixPattern(plan.key) } });
      break;
  }
  return conditions;
}
