import { ConflictError, NotFoundError, UnprocessableError } from '@crm/platform/errors';
import type { FieldProblem } from '@crm/platform/standardisation';

/** Also the answer for leads of other tenants and leads outside the caller's scope. */
export class LeadNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Lead ${id} does not exist`, { code: 'lead_not_found' });
  }
}

/** 422 naming every value that could not be standardised (invalid phone, e-mail, missing contact…). */
export class InvalidLeadError extends UnprocessableError {
  constructor(readonly problems: FieldProblem[]) {
    // `code` per field travels in errors[] next to field and message.
    super('The lead has invalid fields', { code: 'invalid_lead', errors: problems.map((problem) => ({ ...problem })) });
  }
}

/** Converting, disqualifying or editing a lead that is no longer open. */
export class LeadClosedError extends ConflictError {
  constructor(id: string, status: 'converted' | 'disqualified') {
    super(`Lead ${id} is already ${status}`, { code: status === 'converted' ? 'lead_already_converted' : 'lead_disqualified' });
  }
}

export class ConversionCustomerNotFoundError extends UnprocessableError {
  constructor(customerId: string) {
    super(`Customer ${customerId} does not exist or is no longer active`, { code: 'customer_not_found', errors: [{ field: 'customerId', message: 'not an active customer of this tenant' }] });
  }
}

/** A lead's owner must be someone who can hold it: an active user the caller may give it to. */
export class OwnerNotAssignableError extends UnprocessableError {
  constructor(message: string) {
    super(message, { code: 'owner_not_assignable', errors: [{ field: 'ownerId', message }] });
  }
}

export const LEAD_PROBLEMS = {
  required: 'required',
  contactRequired: 'contact_required',
  invalidPhone: 'invalid_phone',
  invalidEmail: 'invalid_email',
  fieldNotAllowed: 'field_not_allowed',
} as const;
