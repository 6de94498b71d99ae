import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CustomerChange } from '../customers/customer-events';
import { CustomerEvents } from '../customers/customer-events';
import { CustomerSearchIndex } from '../customers/customer-search-index';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerWriter, hasChanges, type AppliedChanges, type CustomerWrite, type WriteContext } from '../customers/customer-writer';
import { CustomersRepository } from '../customers/customers.repository';
import type { Address, CustomFieldValues } from '../customers/customer-fields';
import type { FieldProblem } from '../standardisation';
import type { DedupMode } from './import-job';
import { invalidLeadReasons, invalidLeadTags } from './invalid-leads';
import { againstCustomer, combineRows } from './row-folding';

/** A staged row of a group, as the group applier reads it. */
interface GroupRow {
  row_no: number;
  leader_row_no: number;
  customer_id: string;
  target_id: string | null;
  outcome: 'inserted' | 'updated' | 'merged';
  type: string | null;
  name: string | null;
  name_en: string | null;
  phones: string[];
  emails: string[];
  wechat_ids: string[];
  addresses: Address[] | null;
  industry: string | null;
  region: string | null;
  source: string | null;
  lifecycle_stage: string | null;
  value_tier: string | null;
  key_account: boolean | null;
  tags: string[];
  custom_fields: CustomFieldValues | null;
  external_id: string | null;
  last_contact: Date | null;
}

export interface GroupJob {
  id: string;
  mode: DedupMode;
  ownerId: string | null;
  startedBy: string;
  /** Marks invalid leads when set: leads last contacted before it are long unresponsive. */
  unresponsiveCutoff: Date | null;
}

export interface GroupOutcome {
  /** Customers the groups created or changed (for the duplicate check). */
  customerIds: string[];
  markedInvalid: number;
  /** Rows whose group the write path refused now (the customer was deleted meanwhile, a required custom field, ...). */
  rejected: Array<{ rowNo: number; problems: FieldProblem[] }>;
}

const GONE: FieldProblem = { field: 'target', code: 'customer_gone', message: 'The matching customer was deleted or merged while the import ran' };

/**
 * The groups of a chunk that need the write path: rows folded into one new customer, and rows written
 * over (update) or merged into (merge) an existing customer. Each group becomes one write through
 * CustomerWriter (resolve, then apply to the customer row), one search-index row and the events a write
 * emits, so what an import changes is exactly what the API would have: CustomerCreated for a new
 * customer, CustomerUpdated (and CustomerTagged) for one the file changed, in update and merge mode
 * alike. Not CustomerMerged: that event tells services to re-point references from merged customers,
 * and a merge mode import merges rows of a file into a customer, never customers into one another.
 */
@Injectable()
export class GroupApplier {
  constructor(
    private readonly writer: CustomerWriter,
    private readonly customers: CustomersRepository,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly events: CustomerEvents,
  ) {}

  async apply(manager: EntityManager, job: GroupJob, range: { from: number; to: number }, context: WriteContext): Promise<GroupOutcome> {
    const outcome: GroupOutcome = { customerIds: [], markedInvalid: 0, rejected: [] };
    const rows: GroupRow[] = await manager.query(
      `SELECT g.* FROM customer_import_rows g
        WHERE g.job_id = $1 AND g.leader_row_no IN (SELECT row_no FROM customer_import_rows
                                                     WHERE job_id = $1 AND row_no > $2 AND row_no <= $3 AND leader_row_no = row_no)
        ORDER BY g.leader_row_no, g.row_no`,
      [job.id, range.from, range.to],
    );
    if (rows.length === 0) return outcome;
    const groups = new Map<number, GroupRow[]>();
    for (const row of rows) groups.set(row.leader_row_no, [...(groups.get(row.leader_row_no) ?? []), row]);
    const existing = await this.lockExisting(manager, rows);

    const inserts: CustomerEntity[] = [];
    const updates: CustomerEntity[] = [];
    const changes: CustomerChange[] = [];
    for (const group of groups.values()) {
      const leader = group[0];
      const combined = combineRows(job.mode === 'merge' ? 'merge' : 'update', group.map(toWrite));
      const lastContact = group.reduce<Date | null>((latest, row) => (row.last_contact && (!latest || row.last_contact > latest) ? row.last_contact : latest), null);
      const reject = (problems: FieldProblem[]) => outcome.rejected.push(...group.map((row) => ({ rowNo: row.row_no, problems })));

      if (leader.outcome === 'inserted') {
        const target = { id: leader.customer_id, tenantId: context.caller.tenantId };
        const { resolved, problems } = await this.writer.resolve(manager, { ...combined, type: combined.type ?? 'person' }, context, target);
        if (problems.length > 0) {
          reject(problems);
          continue;
        }
        const customer = this.writer.newCustomer(target, { ...resolved, ownerId: job.ownerId }, context);
        if (this.mark(customer, lastContact, job)) outcome.markedInvalid++;
        inserts.push(customer);
        changes.push({ kind: 'created', customer });
        outcome.customerIds.push(customer.id);
        continue;
      }

      const customer = leader.target_id ? existing.get(leader.target_id) : undefined;
      if (!customer) {
        reject([GONE]);
        continue;
      }
      const write = againstCustomer(job.mode === 'merge' ? 'merge' : 'update', customer, combined);
      const { resolved, problems } = await this.writer.resolve(manager, write, context, customer, customer);
      if (problems.length > 0) {
        reject(problems);
        continue;
      }
      const applied = this.writer.apply(customer, resolved);
      const marked = this.mark(customer, lastContact, job);
      if (marked) outcome.markedInvalid++;
      const all = marked ? withTags(applied, marked) : applied;
      if (!hasChanges(all)) continue;
      customer.version += 1;
      customer.updatedAt = context.now;
      updates.push(customer);
      outcome.customerIds.push(customer.id);
      changes.push({ kind: 'changed', customer, ...all, changedBy: job.startedBy });
    }

    await this.customers.insert(manager, inserts);
    for (const customer of updates) await this.customers.save(manager, customer);
    await this.searchIndex.index(manager, [...inserts, ...updates]);
    await this.events.publish(manager, changes);
    return outcome;
  }

  /** The existing customers the chunk's groups go to, locked against concurrent writes. */
  private async lockExisting(manager: EntityManager, rows: readonly GroupRow[]): Promise<Map<string, CustomerEntity>> {
    const ids = [...new Set(rows.filter((row) => row.outcome !== 'inserted' && row.target_id).map((row) => row.target_id as string))];
    if (ids.length === 0) return new Map();
    const found = await manager
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.id IN (:...ids)', { ids })
      .andWhere('c.deletedAt IS NULL')
      .andWhere('c.erasedAt IS NULL')
      .orderBy('c.id')
      .setLock('pessimistic_write')
      .getMany();
    return new Map(found.map((customer) => [customer.id, customer]));
  }

  /** Adds the invalid-lead tags when the customer, as the import leaves it, is one; returns the tag change. */
  private mark(customer: CustomerEntity, lastContact: Date | null, job: GroupJob): AppliedChanges | undefined {
    if (!job.unresponsiveCutoff) return undefined;
    const reasons = invalidLeadReasons(customer, lastContact, job.unresponsiveCutoff);
    if (reasons.length === 0) return undefined;
    const { changes } = this.writer.changeTags(customer, invalidLeadTags(reasons), []);
    return changes;
  }
}

/** A staged row as the write it was: only what the row gave (canonical values). */
function toWrite(row: GroupRow): CustomerWrite {
  const write: Record<string, unknown> = {};
  const set = (field: string, value: unknown) => {
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) write[field] = value;
  };
  set('type', row.type);
  set('name', row.name);
  set('nameEn', row.name_en);
  set('phones', row.phones);
  set('emails', row.emails);
  set('wechatIds', row.wechat_ids);
  set('addresses', row.addresses);
  set('industry', row.industry);
  set('region', row.region);
  set('source', row.source);
  set('lifecycleStage', row.lifecycle_stage);
  set('valueTier', row.value_tier);
  set('keyAccount', row.key_account);
  set('tags', row.tags);
  set('externalId', row.external_id);
  if (row.custom_fields && Object.keys(row.custom_fields).length > 0) write.customFields = row.custom_fields;
  return write as CustomerWrite;
}

function withTags(applied: AppliedChanges, marked: AppliedChanges): AppliedChanges {
  if (!marked.tags) return applied;
  const tags = applied.tags ? { added: [...applied.tags.added, ...marked.tags.added], removed: applied.tags.removed } : marked.tags;
  return { ...applied, tags };
}
