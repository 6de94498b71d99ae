import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';
import type { FieldProblem } from '../standardisation';

/** Also the answer for merges of other tenants and merges whose survivor is outside the caller's scope. */
export class MergeNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Merge ${id} does not exist`, { code: 'merge_not_found' });
  }
}

/** A customer merged before is gone; its survivor is what can be merged now. */
export class CustomerAlreadyMergedError extends ConflictError {
  constructor(
    readonly customerId: string,
    readonly survivorId: string,
  ) {
    super(`Customer ${customerId} was already merged into ${survivorId}; merge that customer instead`, { code: 'customer_already_merged' });
  }
}

/** An erased customer is nobody any more: there is nothing to merge. */
export class CustomerErasedError extends ConflictError {
  constructor(readonly customerId: string) {
    super(`Customer ${customerId} was erased on a privacy request and cannot be merged`, { code: 'customer_erased' });
  }
}

/** 400 naming what is wrong with the request's ids or fieldChoices (`field`, `code`, `message` each). */
export class InvalidMergeError extends ValidationFailedError {
  constructor(problems: FieldProblem[]) {
    super(problems.map((problem) => ({ ...problem })), 'The merge request is invalid');
  }
}

/** The union of some list is longer than a customer may hold. */
export class MergeExceedsLimitsError extends UnprocessableError {
  constructor(problems: FieldProblem[]) {
    super(`The merged customer would have more values than a customer may have (${problems.map((problem) => problem.field).join(', ')})`, {
      code: 'merge_exceeds_limits',
      errors: problems.map((problem) => ({ ...problem })),
    });
  }
}

/** Why an undo is refused; `errors[]` carries one `code` per reason. */
export const UNDO_BLOCKERS = {
  alreadyUndone: 'already_undone',
  snapshotsErased: 'snapshots_erased',
  survivorChanged: 'survivor_changed',
  mergedCustomerChanged: 'merged_customer_changed',
  externalIdTaken: 'external_id_taken',
} as const;

export class MergeNotUndoableError extends ConflictError {
  constructor(reasons: FieldProblem[]) {
    super(`The merge cannot be undone: ${reasons.map((reason) => reason.message).join('; ')}`, { code: 'merge_not_undoable', errors: reasons.map((reason) => ({ ...reason })) });
  }
}
