import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerWriter } from '../customers/customer-writer';
import { toCustomerDto } from '../customers/customer.mapper';
import { CustomerRecordHolder } from '../privacy/holders/customer-record.holder';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';
import { toCustomerMergeDto } from './merge.mapper';
import { MergesRepository } from './merges.repository';

/**
 * The personal data merges keep: the snapshots of every merged customer (names, contacts, encrypted
 * numbers, ...), the duplicate pairs they had (their reasons name phones and e-mails), and the rows of
 * customers merged into another, which stay behind soft-deleted.
 */
@Injectable()
export class MergeRecordsHolder implements PersonalDataHolder {
  constructor(
    private readonly merges: MergesRepository,
    private readonly writer: CustomerWriter,
    private readonly records: CustomerRecordHolder,
  ) {}

  /**
   * Every merge the customer took part in. A survivor's merges show every customer it absorbed (their
   * data became its data); a merged customer's only its own snapshot.
   */
  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const data: unknown[] = [];
    for (const mergeId of await this.merges.mergeIdsOf(manager, tenantId, customerId)) {
      const merge = await this.merges.findById(manager, tenantId, mergeId);
      if (!merge) continue;
      const snapshots = await this.merges.snapshots(manager, tenantId, mergeId);
      const own = merge.survivor_id === customerId ? snapshots : snapshots.filter((snapshot) => snapshot.customerId === customerId);
      const before = own.flatMap((snapshot) => (snapshot.customer ? [toCustomerDto(snapshot.customer, this.writer.reveal(snapshot.customer))] : []));
      data.push({ ...toCustomerMergeDto(merge), before });
    }
    return data.length > 0 ? [{ name: 'merges', data }] : [];
  }

  /**
   * Drops the snapshots of every merge the customer, or a customer merged into it, took part in (those
   * merges can no longer be undone), and erases the rows of the customers merged into it the way the
   * customer's own row is erased.
   */
  async erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    const absorbed = await this.merges.mergedInto(manager, tenantId, customerId);
    const mergeIds = new Set<string>();
    for (const id of [customerId, ...absorbed]) for (const mergeId of await this.merges.mergeIdsOf(manager, tenantId, id)) mergeIds.add(mergeId);
    return (await this.merges.eraseSnapshots(manager, tenantId, [...mergeIds])) + (await this.records.eraseRows(manager, tenantId, absorbed, new Date()));
  }
}
