import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { principal } from '@crm/platform/auth';
import { CustomerEntity } from '../../customers/customer.entity';
import { toCustomerDto } from '../../customers/customer.mapper';
import { CustomerSearchIndex } from '../../customers/customer-search-index';
import { CustomerWriter } from '../../customers/customer-writer';
import { PiiAccessLog } from '../../pii/pii-access-log';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';

/** What an erased customer is called: lists and references elsewhere still show a customer, but nobody. */
export const ERASED_NAME = '已删除';

/**
 * The customer row and its `customer_search` row. Erasure anonymises the row in place, because orders,
 * tickets and timelines elsewhere keep referring to the id: it keeps the id, tenant, type, owner, stage,
 * tier, key-account flag, industry, region, source, consent states, creator and times (facts about the
 * business relationship, none of which identifies a person), and loses the name, English name, phones,
 * e-mails, WeChat ids, addresses, tags (free text), custom fields (the service cannot tell which are
 * personal), external id (the key of the same person in another system), national ID and bank account.
 * The search row goes, so the customer is never found by search or as a duplicate again.
 */
@Injectable()
export class CustomerRecordHolder implements PersonalDataHolder {
  constructor(
    private readonly writer: CustomerWriter,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly piiAccess: PiiAccessLog,
  ) {}

  /** The record with national ID and bank account in clear; the unmasked read is recorded like any other. */
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const customer = await manager.findOne(CustomerEntity, { where: { tenantId, id: customerId } });
    if (!customer) return [];
    const revealed = this.writer.reveal(customer);
    const fields = (['nationalId', 'bankAccount'] as const).filter((field) => revealed[field] !== null);
    if (fields.length > 0) await this.piiAccess.record(manager, { customerId, actorId: principal().userId, fields });
    const { piiRevealed: _revealed, ...record } = toCustomerDto(customer, revealed);
    return [{ name: 'customer', data: { ...record, deletedAt: customer.deletedAt?.toISOString() ?? null, erasedAt: customer.erasedAt?.toISOString() ?? null } }];
  }

  erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    return this.eraseRows(manager, tenantId, [customerId], new Date());
  }

  /**
   * Anonymises these customer rows (any that are not erased yet) and drops their search rows; returns
   * how many rows it erased. Also for parts that keep further rows of the same person (merged customers).
   */
  async eraseRows(manager: EntityManager, tenantId: string, customerIds: readonly string[], at: Date): Promise<number> {
    if (customerIds.length === 0) return 0;
    const [, erased] = (await manager.query(
      `UPDATE customers
          SET name = $3, name_en = NULL, phones = '{}', emails = '{}', wechat_ids = '{}', addresses = '[]', tags = '{}',
              custom_fields = '{}', external_id = NULL, national_id_encrypted = NULL, national_id_masked = NULL,
              bank_account_encrypted = NULL, bank_account_masked = NULL, erased_at = $4, updated_at = $4, version = version + 1
        WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND erased_at IS NULL`,
      [tenantId, [...customerIds], ERASED_NAME, at],
    )) as [unknown, number];
    await this.searchIndex.remove(manager, customerIds);
    return erased;
  }
}
