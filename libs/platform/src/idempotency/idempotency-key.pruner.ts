import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '../scheduling/periodic-job';
import { IdempotencyStore } from './idempotency.store';

/** Forgets idempotency keys past their day, hourly. */
@Injectable()
export class IdempotencyKeyPruner extends PeriodicJob<number> {
  constructor(private readonly store: IdempotencyStore) {
    super();
  }

  protected intervalMs(): number {
    return 3_600_000;
  }

  protected runOnce(now: Date): Promise<number> {
    return this.store.prune(now);
  }
}
