import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

export class PlanNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Plan ${id} does not exist`, { code: 'plan_not_found' });
  }
}

export class PlanItemNotFoundError extends NotFoundError {
  constructor(planId: string, itemId: string) {
    super(`Plan ${planId} has no item ${itemId}`, { code: 'plan_item_not_found' });
  }
}

/** One plan per rep, period type and period start. */
export class PlanExistsError extends ConflictError {
  constructor(ownerId: string, periodType: string, periodStart: string) {
    super(`User ${ownerId} already has a ${periodType} plan starting ${periodStart}`, { code: 'plan_exists' });
  }
}

export class InvalidPlanError extends ValidationFailedError {
  constructor(errors: Array<{ field: string; message: string }>) {
    super(errors, 'The plan has invalid fields');
  }
}

export class PlanOwnerNotAssignableError extends UnprocessableError {
  constructor(ownerId: string) {
    super(`User ${ownerId} is not an active user you may plan for`, { code: 'owner_not_assignable', errors: [{ field: 'ownerId', message: 'not an active user in your scope' }] });
  }
}

/** An item that counts activities has no done count to set by hand. */
export class PlanItemCountedError extends ConflictError {
  constructor(itemId: string) {
    super(`Item ${itemId} counts logged activities; its progress cannot be set by hand`, { code: 'plan_item_counts_activities' });
  }
}

export class PlanLinkNotFoundError extends UnprocessableError {
  constructor(field: string, id: string) {
    super(`${field} ${id} does not exist (or is no longer live)`, { code: 'plan_link_not_found', errors: [{ field, message: `${id} does not exist` }] });
  }
}
