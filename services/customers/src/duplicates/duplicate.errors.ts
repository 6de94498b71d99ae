import { ConflictError, NotFoundError } from '@crm/platform/errors';

/** Also the answer for pairs of other tenants and pairs with a customer outside the caller's scope. */
export class DuplicatePairNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Duplicate pair ${id} does not exist`, { code: 'duplicate_pair_not_found' });
  }
}

export class DuplicateScanNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Duplicate scan ${id} does not exist`, { code: 'duplicate_scan_not_found' });
  }
}

/** One full scan per tenant at a time. */
export class DuplicateScanRunningError extends ConflictError {
  constructor(readonly runningScanId: string | null) {
    super(`A duplicate scan is already running${runningScanId ? ` (${runningScanId})` : ''}`, { code: 'duplicate_scan_running' });
  }
}
