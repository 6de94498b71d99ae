import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid } from '@crm/platform/api';
import { ownershipScope, principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { CustomerEvents } from '../customers/customer-events';
import { CustomerSearchIndex } from '../customers/customer-search-index';
import type { CustomerEntity } from '../customers/customer.entity';
import { toCustomerDto } from '../customers/customer.mapper';
import { DuplicateDetector } from '../duplicates/duplicate-detector';
import type { FieldProblem } from '../standardisation';
import type { MergeUndoResultDto } from './dto/merge.dto';
import { MergeNotFoundError, MergeNotUndoableError, UNDO_BLOCKERS } from './merge.errors';
import { MergesRepository, type MergeRow, type MergeSnapshot } from './merges.repository';

/**
 * Undoes a merge while nothing newer depends on it: the survivor is still at the version the merge gave
 * it, every merged customer is still merged into it as the merge left it, and no live customer has
 * taken an external id the restored customers had. Then, in one transaction, every customer gets its
 * row from before the merge back with a version above any it had (consumers that skip older versions
 * take it), search rows and duplicate pairs are put back, and CustomerMergeUndone carries them all.
 */
@Injectable()
export class MergeUndoService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly merges: MergesRepository,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly duplicates: DuplicateDetector,
    private readonly events: CustomerEvents,
  ) {}

  async undo(id: string): Promise<MergeUndoResultDto> {
    const caller = principal();
    const scope = ownershipScope();
    const { tenantId } = caller;
    return this.transactions.run(async (manager) => {
      const visible = isUuid(id) ? await this.merges.findVisible(manager, tenantId, id, scope) : null;
      const merge = visible ? await this.merges.lock(manager, tenantId, visible.id) : null;
      if (!merge) throw new MergeNotFoundError(id);
      if (merge.undone_at) throw new MergeNotUndoableError([{ field: 'merge', code: UNDO_BLOCKERS.alreadyUndone, message: `it was undone at ${merge.undone_at.toISOString()}` }]);
      if (merge.erased_at) {
        throw new MergeNotUndoableError([{ field: 'merge', code: UNDO_BLOCKERS.snapshotsErased, message: 'the customers as they were before it were erased on a privacy request' }]);
      }
      const snapshots = await this.merges.snapshots(manager, tenantId, merge.id);
      const ids = snapshots.map((snapshot) => snapshot.customerId);
      const current = new Map((await this.merges.lockCustomers(manager, tenantId, ids)).map((customer) => [customer.id, customer]));
      const { restores, blockers } = planRestores(merge, snapshots, current);
      blockers.push(...(await this.externalIdBlockers(manager, tenantId, snapshots)));
      if (blockers.length > 0) throw new MergeNotUndoableError(blockers);

      const now = new Date();
      // Survivor first: it gives back an external id it may have taken over from a merged customer.
      for (const { customerId, raw, version } of restores) {
        try {
          await this.merges.restore(manager, tenantId, raw, version, now);
        } catch (error) {
          if (isUniqueViolation(error, 'customers_tenant_external_id_key')) {
            throw new MergeNotUndoableError([{ field: 'externalId', code: UNDO_BLOCKERS.externalIdTaken, message: `another customer took the externalId of ${customerId}` }]);
          }
          throw error;
        }
      }
      const restored = new Map((await this.merges.lockCustomers(manager, tenantId, ids)).map((customer) => [customer.id, customer]));
      const [survivor, ...merged] = ids.flatMap((customerId) => restored.get(customerId) ?? []);
      await this.searchIndex.index(manager, [survivor, ...merged]);
      await this.merges.restorePairs(manager, tenantId, merge.duplicate_pairs);
      // Customers created while the merged ones were gone may look like them.
      await this.duplicates.check(manager, merged);
      await this.merges.markUndone(manager, tenantId, merge.id, caller.userId, now);
      await this.events.publish(manager, [{ kind: 'mergeUndone', customer: survivor, mergeId: merge.id, restored: merged, undoneBy: caller.userId }]);
      return { mergeId: merge.id, customer: toCustomerDto(survivor), restored: merged.map((customer) => toCustomerDto(customer)) };
    });
  }

  /** External ids of the restored customers that a live customer outside the merge has meanwhile. */
  private async externalIdBlockers(manager: EntityManager, tenantId: string, snapshots: readonly MergeSnapshot[]): Promise<FieldProblem[]> {
    const owners = new Map(snapshots.flatMap((snapshot) => (snapshot.customer?.externalId ? [[snapshot.customer.externalId, snapshot.customerId] as const] : [])));
    const holders = await this.merges.liveExternalIdHolders(manager, tenantId, [...owners.keys()], snapshots.map((snapshot) => snapshot.customerId));
    return holders.map((holder) => ({
      field: 'externalId',
      code: UNDO_BLOCKERS.externalIdTaken,
      message: `customer ${holder.id} now has the externalId ${JSON.stringify(holder.external_id)} of ${owners.get(holder.external_id)}`,
    }));
  }
}

interface Restore {
  customerId: string;
  raw: Record<string, unknown>;
  /** Above any version the customer had. */
  version: number;
}

/**
 * What each customer gets back, survivor first, or why not: the survivor changed since the merge, or a
 * merged customer is no longer as the merge left it (merged into the survivor, one version on).
 */
function planRestores(merge: MergeRow, snapshots: readonly MergeSnapshot[], current: ReadonlyMap<string, CustomerEntity>): { restores: Restore[]; blockers: FieldProblem[] } {
  const restores: Restore[] = [];
  const blockers: FieldProblem[] = [];
  for (const { customerId, role, raw, customer: before } of snapshots) {
    const now = current.get(customerId);
    if (!raw || !before || !now) {
      blockers.push({ field: 'merge', code: UNDO_BLOCKERS.snapshotsErased, message: `customer ${customerId} as it was before the merge is no longer kept` });
    } else if (role === 'survivor' && (now.deletedAt || now.version !== merge.survivor_version)) {
      const state = now.deletedAt ? 'was deleted or merged' : `is at version ${now.version}`;
      blockers.push({ field: 'survivor', code: UNDO_BLOCKERS.survivorChanged, message: `the survivor ${customerId} changed since the merge (it ${state}, the merge left version ${merge.survivor_version})` });
    } else if (role === 'merged' && (now.mergedIntoId !== merge.survivor_id || now.version !== before.version + 1)) {
      blockers.push({ field: `mergedIds[${merge.merged_ids.indexOf(customerId)}]`, code: UNDO_BLOCKERS.mergedCustomerChanged, message: `the merged customer ${customerId} changed since the merge` });
    } else {
      restores.push({ customerId, raw, version: now.version + 1 });
    }
  }
  return { restores, blockers };
}
