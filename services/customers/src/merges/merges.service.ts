import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { ownershipScope, principal, type OwnershipScope } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { CustomerEvents } from '../customers/customer-events';
import { CustomerSearchIndex } from '../customers/customer-search-index';
import { CustomerWriter, type AppliedChanges } from '../customers/customer-writer';
import { CustomerNotFoundError, ExternalIdTakenError } from '../customers/customer.errors';
import type { CustomerEntity } from '../customers/customer.entity';
import { toCustomerDto } from '../customers/customer.mapper';
import { CustomersRepository } from '../customers/customers.repository';
import type { CustomerMergeDto, ListMergesQueryDto, MergeCustomersDto, MergeResultDto } from './dto/merge.dto';
import { planPairMoves } from './duplicate-pair-moves';
import { parseFieldChoices } from './field-choices';
import { CustomerAlreadyMergedError, CustomerErasedError, InvalidMergeError, MergeExceedsLimitsError, MergeNotFoundError } from './merge.errors';
import { toCustomerMergeDto } from './merge.mapper';
import { planMerge } from './merge-rules';
import { MergeSecrets } from './merge-secrets';
import { MergesRepository, type NewMerge } from './merges.repository';

/**
 * Merges duplicate customers into a survivor (see `planMerge` for the rules), and shows the merges.
 * One tenant transaction: every involved customer locked in id order, the merged ones soft-deleted
 * naming their survivor, the survivor written like any update (version, search row), their duplicate
 * pairs moved, the merge recorded with every customer as it was, and one CustomerMerged event.
 */
@Injectable()
export class MergesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly merges: MergesRepository,
    private readonly customers: CustomersRepository,
    private readonly writer: CustomerWriter,
    private readonly secrets: MergeSecrets,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly events: CustomerEvents,
  ) {}

  async merge(input: MergeCustomersDto): Promise<MergeResultDto> {
    const caller = principal();
    const scope = ownershipScope();
    const { tenantId } = caller;
    const { survivorId, mergedIds } = input;
    const dryRun = input.dryRun ?? false;
    if (mergedIds.includes(survivorId)) {
      throw new InvalidMergeError([{ field: 'mergedIds', code: 'contains_survivor', message: 'mergedIds must not contain the survivorId' }]);
    }
    const ids = [survivorId, ...mergedIds];
    return this.transactions.run(async (manager) => {
      const involved = await this.involved(manager, tenantId, ids, scope, { lock: !dryRun });
      const { choices, problems } = parseFieldChoices(input.fieldChoices, involved);
      if (problems.length > 0) throw new InvalidMergeError(problems);
      const plan = planMerge(involved, choices);
      if (plan.overLimits.length > 0) throw new MergeExceedsLimitsError(plan.overLimits);
      // Before anything changes: the rows an undo restores, and the pairs it puts back.
      const before = dryRun ? undefined : await this.merges.rawRows(manager, tenantId, ids);
      const pairMoves = planPairMoves(await this.merges.pairsOf(manager, tenantId, ids, { lock: !dryRun }), survivorId, mergedIds);

      const [survivor] = involved;
      const applied = this.writer.apply(survivor, {
        ...plan.write,
        nationalId: this.secrets.forSurvivor(survivor, plan.secrets.nationalId, 'nationalId'),
        bankAccount: this.secrets.forSurvivor(survivor, plan.secrets.bankAccount, 'bankAccount'),
      });
      const now = new Date();
      survivor.version += 1;
      survivor.updatedAt = now;

      let mergeId: string | null = null;
      if (before) {
        mergeId = randomUUID();
        // Merged customers go first: the survivor may take over the external id one of them frees.
        await this.merges.markMerged(manager, tenantId, mergedIds, survivorId, now);
        await this.saveSurvivor(manager, survivor);
        await this.searchIndex.index(manager, [survivor]);
        await this.searchIndex.remove(manager, mergedIds);
        await this.merges.movePairs(manager, tenantId, pairMoves);
        await this.merges.insert(manager, {
          id: mergeId,
          tenantId,
          survivorId,
          mergedIds,
          fieldChoices: Object.fromEntries(choices),
          survivorVersion: survivor.version,
          duplicatePairs: pairMoves.touched,
          mergedBy: caller.userId,
          mergedAt: now,
          snapshots: snapshotsOf(involved, before),
        });
        await this.events.publish(manager, [{ kind: 'merged', customer: survivor, mergeId, mergedIds, mergedBy: caller.userId }]);
      }
      return {
        mergeId,
        dryRun,
        survivorId,
        mergedIds: [...mergedIds],
        customer: toCustomerDto(survivor),
        changedFields: changedFieldsOf(applied),
        valuesFrom: plan.valuesFrom,
        duplicatePairs: { moved: pairMoves.moved.length, dropped: pairMoves.dropped.length },
      };
    });
  }

  /** Merges whose survivor is in the caller's scope, newest first; `customerId` narrows to one customer's. */
  async list(query: ListMergesQueryDto): Promise<Page<CustomerMergeDto>> {
    const { tenantId } = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const page = await this.merges.page(manager, tenantId, { customerId: query.customerId }, scope, query);
      return mapPage(page, (row) => toCustomerMergeDto(row));
    });
  }

  /** One merge: who merged what and when, with every customer as it was before. */
  async get(id: string): Promise<CustomerMergeDto> {
    const { tenantId } = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const merge = isUuid(id) ? await this.merges.findVisible(manager, tenantId, id, scope) : null;
      if (!merge) throw new MergeNotFoundError(id);
      return toCustomerMergeDto(merge, await this.merges.snapshots(manager, tenantId, merge.id));
    });
  }

  /**
   * The customers in request order (survivor first). Missing, out of scope or deleted: not found; merged
   * before: a conflict naming the survivor it went to; erased: a conflict too.
   */
  private async involved(manager: EntityManager, tenantId: string, ids: readonly string[], scope: OwnershipScope, options: { lock: boolean }): Promise<CustomerEntity[]> {
    const found = new Map((await this.merges.findInScope(manager, tenantId, ids, scope, options)).map((customer) => [customer.id, customer]));
    return ids.map((id) => {
      const customer = found.get(id);
      if (customer?.mergedIntoId) throw new CustomerAlreadyMergedError(id, customer.mergedIntoId);
      if (!customer || customer.deletedAt) throw new CustomerNotFoundError(id);
      if (customer.erasedAt) throw new CustomerErasedError(id);
      return customer;
    });
  }

  private async saveSurvivor(manager: EntityManager, survivor: CustomerEntity): Promise<void> {
    try {
      await this.customers.save(manager, survivor);
    } catch (error) {
      if (isUniqueViolation(error, 'customers_tenant_external_id_key')) throw new ExternalIdTakenError(survivor.externalId);
      throw error;
    }
  }
}

/** Every involved customer's row as it was, survivor first. */
function snapshotsOf(involved: readonly CustomerEntity[], rows: ReadonlyMap<string, Record<string, unknown>>): NewMerge['snapshots'] {
  return involved.map((customer, index) => {
    const raw = rows.get(customer.id);
    if (!raw) throw new Error(`customer ${customer.id} disappeared while locked for its merge`);
    return { customerId: customer.id, role: index === 0 ? 'survivor' : 'merged', raw };
  });
}

function changedFieldsOf(applied: AppliedChanges): string[] {
  return [...applied.fields, ...(applied.owner ? ['ownerId'] : []), ...(applied.tags ? ['tags'] : [])];
}
