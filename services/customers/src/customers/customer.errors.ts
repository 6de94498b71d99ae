import { ConflictError, NotFoundError, ValidationFailedError } from '@crm/platform/errors';
import type { FieldProblem } from '../standardisation';

/** Also the answer for customers of other tenants, outside the caller's scope, or deleted. */
export class CustomerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Customer ${id} does not exist`, { code: 'customer_not_found' });
  }
}

/** externalId is the integrator's key: one live customer per value and tenant. */
export class ExternalIdTakenError extends ConflictError {
  constructor(externalId: string | null) {
    super(`Another customer already has the externalId ${JSON.stringify(externalId)}`, { code: 'external_id_taken' });
  }
}

/** 400 naming every invalid value of a single write; the same problems a batch item reports. */
export class InvalidCustomerError extends ValidationFailedError {
  constructor(readonly problems: FieldProblem[]) {
    // `code` per field travels in errors[] next to field and message.
    super(problems.map((problem) => ({ ...problem })), 'The customer has invalid fields');
  }
}

export const WRITE_PROBLEMS = {
  required: 'required',
  ownerInactive: 'owner_inactive',
  ownerNotAssignable: 'owner_not_assignable',
  externalIdTaken: 'external_id_taken',
  invalidValue: 'invalid_value',
  unknownField: 'unknown_field',
  writeFailed: 'write_failed',
} as const;
