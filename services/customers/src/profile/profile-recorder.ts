import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { withTenant } from '@crm/platform/database';
import type { OrderFigures } from '../lifecycle/lifecycle-rules';
import { TimelineRepository } from '../timeline/timeline.repository';
import type { ProfileScores } from './events/analytics-events';
import type { ProfileEvent } from './profile-event';
import { ProfileRepository } from './profile.repository';
import { SurvivorResolver, type EventTarget } from './survivor-resolver';

export interface RecordedEvent {
  target: EventTarget;
  /** The order figures of the target after the event, when the event changed a fact of it. */
  figures?: OrderFigures;
}

/**
 * Applies a consumed event to the profile, in the consumer's transaction: the fact (when newer than the
 * stored one), the summary recomputed from the facts, and the timeline entry. Idempotent: the entry's
 * id is the event's, and a fact's version decides, so a redelivery or a late older event leaves the
 * figures as they are.
 */
@Injectable()
export class ProfileRecorder {
  constructor(
    private readonly resolver: SurvivorResolver,
    private readonly profiles: ProfileRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  async record(manager: EntityManager, eventId: string, event: ProfileEvent): Promise<RecordedEvent> {
    const { tenantId } = event;
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, tenantId);
    const target = await this.resolver.resolve(manager, tenantId, event.customerId);
    await this.profiles.lock(manager, tenantId, [target.customerId]);
    const entry = { id: eventId, tenantId, customerId: target.customerId, eventCustomerId: event.customerId, ...event.entry };
    if (!event.fact) {
      await this.timeline.add(manager, [entry]);
      return { target };
    }

    const { applied, previousCustomerId, repeated } = await this.profiles.upsertFact(manager, tenantId, target.customerId, event.customerId, event.fact);
    // The same state told again (a producer's retry with a new event id) is no news for the timeline;
    // an older state arriving late still is: it happened.
    if (!repeated) await this.timeline.add(manager, [entry]);
    if (!applied) return { target };
    const affected = [target.customerId];
    // The fact counted for another customer before (its producer re-pointed it): that summary changes too.
    if (previousCustomerId && previousCustomerId !== target.customerId) {
      await this.profiles.lock(manager, tenantId, [previousCustomerId]);
      affected.push(previousCustomerId);
    }
    const figures = await this.profiles.recompute(manager, tenantId, affected);
    return { target, figures: figures.get(target.customerId) };
  }

  /**
   * Scores replace the stored ones when newer; the entry is added only then. Scores describe the whole
   * customer, so those of a merged customer are dropped: analytics computes the survivor's after the
   * merge. Returns whether the scores were applied.
   */
  async recordScores(manager: EntityManager, eventId: string, event: ProfileEvent, scores: ProfileScores): Promise<{ target: EventTarget; applied: boolean }> {
    const { tenantId } = event;
    await withTenant(manager, tenantId);
    const target = await this.resolver.resolve(manager, tenantId, event.customerId);
    if (target.customerId !== event.customerId) return { target, applied: false };
    await this.profiles.lock(manager, tenantId, [target.customerId]);
    const applied = await this.profiles.applyScores(manager, tenantId, target.customerId, scores);
    if (applied) await this.timeline.add(manager, [{ id: eventId, tenantId, customerId: target.customerId, eventCustomerId: event.customerId, ...event.entry }]);
    return { target, applied };
  }
}
