import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

/** Also the answer for activities of other tenants or outside the caller's scope. */
export class ActivityNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Activity ${id} does not exist`, { code: 'activity_not_found' });
  }
}

/** Fields that do not fit the kind (dueAt on a call, direction on a note, …). */
export class InvalidActivityError extends ValidationFailedError {
  constructor(errors: Array<{ field: string; message: string }>) {
    super(errors, 'The activity has invalid fields');
  }
}

/** Only open tasks can be completed or cancelled; only open tasks get a new due date. */
export class ActivityNotOpenError extends ConflictError {
  constructor(id: string, status: string) {
    super(`Activity ${id} is ${status}; only an open task can change its status or due date`, { code: 'activity_not_open' });
  }
}

/** A linked record (customer, lead, opportunity, contract, order) that does not exist or is not live. */
export class ActivityLinkNotFoundError extends UnprocessableError {
  constructor(field: string, id: string) {
    super(`${field} ${id} does not exist (or is no longer live)`, { code: 'activity_link_not_found', errors: [{ field, message: `${id} does not exist` }] });
  }
}

/** The owner must be an active user the caller may give work to. */
export class ActivityOwnerNotAssignableError extends UnprocessableError {
  constructor(ownerId: string) {
    super(`User ${ownerId} is not an active user you may give activities to`, { code: 'owner_not_assignable', errors: [{ field: 'ownerId', message: 'not an active user in your scope' }] });
  }
}
