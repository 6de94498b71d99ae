import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

/** Also the answer for opportunities of other tenants or outside the caller's scope. */
export class OpportunityNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Opportunity ${id} does not exist`, { code: 'opportunity_not_found' });
  }
}

/** A won or lost opportunity stays closed. */
export class OpportunityClosedError extends ConflictError {
  constructor(id: string, status: string) {
    super(`Opportunity ${id} is ${status}; a closed opportunity cannot change stage or be reopened`, { code: 'opportunity_closed' });
  }
}

export class UnknownStageError extends UnprocessableError {
  constructor(stage: string, pipelineId: string) {
    super(`The pipeline ${pipelineId} has no stage ${JSON.stringify(stage)}`, { code: 'unknown_stage' });
  }
}

export class CustomerNotLiveError extends UnprocessableError {
  constructor(customerId: string) {
    super(`Customer ${customerId} does not exist (or was deleted or merged)`, { code: 'customer_not_found' });
  }
}

export class OwnerNotAssignableError extends UnprocessableError {
  constructor(ownerId: string) {
    super(`User ${ownerId} is not an active user of the tenant`, { code: 'owner_not_assignable' });
  }
}

/** A rep may only own their own opportunities, a manager give them to members of their teams. */
export class OwnerOutOfScopeError extends ForbiddenError {
  constructor(ownerId: string) {
    super(`You may not give an opportunity to user ${ownerId}`, { code: 'owner_out_of_scope' });
  }
}

export class LostReasonRequiredError extends ValidationFailedError {
  constructor() {
    super([{ field: 'lostReason', message: 'lostReason is required when an opportunity is lost' }], 'lostReason is required when an opportunity is lost');
  }
}

export class PipelineChangeNotAllowedError extends UnprocessableError {
  constructor() {
    super('An opportunity stays in the pipeline it was opened in', { code: 'pipeline_change_not_allowed' });
  }
}

export class CurrencyMismatchError extends ValidationFailedError {
  constructor(field: string) {
    super([{ field, message: 'The amount must be in the currency of the opportunity' }], 'The amount must be in the currency of the opportunity');
  }
}
