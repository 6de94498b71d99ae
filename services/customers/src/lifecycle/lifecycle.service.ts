import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomersEnv } from '../config/customers.env';
import { CustomerEvents } from '../customers/customer-events';
import { CustomerSearchIndex } from '../customers/customer-search-index';
import { CustomerWriter, hasChanges, type AppliedChanges } from '../customers/customer-writer';
import type { CustomerEntity } from '../customers/customer.entity';
import { CustomersRepository } from '../customers/customers.repository';
import type { ProfileScores } from '../profile/events/analytics-events';
import { stageAfterOrders, tagChangesForScores, type LifecycleThresholds, type OrderFigures } from './lifecycle-rules';
import { lifecycleThresholds } from './lifecycle-thresholds';

/**
 * What other services' events change on the customer record itself: the lifecycle stage (orders), the
 * value tier and the VIP / churn-risk tags (analytics' scores). Every change takes the normal write
 * path (CustomerWriter, version, search index, CustomerEvents), in the consumer's transaction, so other
 * services see it as CustomerUpdated / CustomerTagged like any edit. `changedBy` is null: the system.
 */
@Injectable()
export class LifecycleService {
  readonly thresholds: LifecycleThresholds;

  constructor(
    private readonly writer: CustomerWriter,
    private readonly customers: CustomersRepository,
    private readonly searchIndex: CustomerSearchIndex,
    private readonly events: CustomerEvents,
    config: CustomersEnv,
  ) {
    this.thresholds = lifecycleThresholds(config);
  }

  /** After an order of the (locked) customer was placed or cancelled. */
  async followOrders(manager: EntityManager, customer: CustomerEntity, orders: OrderFigures, now = new Date()): Promise<void> {
    if (customer.deletedAt) return;
    const stage = stageAfterOrders(customer.lifecycleStage, orders, now, this.thresholds);
    await this.commit(manager, customer, this.writer.apply(customer, { lifecycleStage: stage }));
  }

  /** After new scores of the (locked) customer: analytics' value tier, and the VIP and churn-risk tags. */
  async followScores(manager: EntityManager, customer: CustomerEntity, scores: ProfileScores): Promise<void> {
    if (customer.deletedAt) return;
    const tier = this.writer.apply(customer, { valueTier: scores.valueTier });
    const { add, remove } = tagChangesForScores(scores);
    const { changes: tags } = this.writer.changeTags(customer, add, remove);
    await this.commit(manager, customer, { fields: tier.fields, tags: tags.tags });
  }

  private async commit(manager: EntityManager, customer: CustomerEntity, applied: AppliedChanges): Promise<void> {
    if (!hasChanges(applied)) return;
    customer.version += 1;
    customer.updatedAt = new Date();
    await this.customers.save(manager, customer);
    if (applied.tags) await this.searchIndex.index(manager, [customer]);
    await this.events.publish(manager, [{ kind: 'changed', customer, ...applied, changedBy: null }]);
  }
}
