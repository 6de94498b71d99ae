import { ConflictError, NotFoundError } from '@crm/platform/errors';

/** The customer's personal data was erased: the record stays for references but is never written again. */
export class CustomerErasedError extends ConflictError {
  constructor(id: string) {
    super(`Customer ${id} was erased on a privacy request and can no longer be changed`, { code: 'customer_erased' });
  }
}

export class PrivacyRequestNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Privacy request ${id} does not exist`, { code: 'privacy_request_not_found' });
  }
}

/** A delivery report for an erasure request: only exports have an archive. */
export class NotAnExportRequestError extends ConflictError {
  constructor(id: string) {
    super(`Privacy request ${id} is not an export request`, { code: 'not_an_export_request' });
  }
}
