import { DomainError, NotFoundError, ValidationFailedError } from '@crm/platform/errors';

/** Unknown, inactive or mistyped form keys all look the same. */
export class FormNotFoundError extends NotFoundError {
  constructor() {
    super('There is no such form', { code: 'form_not_found' });
  }
}

/** 429: the form's own submissions-per-minute limit (on top of the gateway's per-IP limit). */
export class FormRateLimitedError extends DomainError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  protected readonly defaultCode = 'form_rate_limited';

  constructor(retryAfterSeconds: number) {
    super(`This form receives too many submissions; try again in ${retryAfterSeconds} seconds`);
  }
}

/** A submission carries a field its form does not ask for. */
export class FieldNotAllowedError extends ValidationFailedError {
  constructor(fields: readonly string[]) {
    super(
      fields.map((field) => ({ field, message: `${field} is not a field of this form` })),
      'The submission has fields this form does not have',
      { code: 'field_not_allowed' },
    );
  }
}

export class InvalidFormFieldsError extends ValidationFailedError {
  constructor(message: string) {
    super([{ field: 'fields', message }], 'The form fields are invalid', { code: 'invalid_form_fields' });
  }
}
