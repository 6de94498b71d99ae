import { NotFoundError, UnprocessableError } from '@crm/platform/errors';

export class HandoverNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Handover ${id} does not exist`, { code: 'handover_not_found' });
  }
}

/** The user whose work is handed over is unknown or outside the caller's scope. */
export class HandoverUserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`User ${id} does not exist`, { code: 'user_not_found' });
  }
}

/** A receiving user that is not an active user, or is the leaving user themself. */
export class InvalidHandoverTargetError extends UnprocessableError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { code: 'invalid_handover_target', errors: [{ field, message }] });
  }
}
