import { ConflictError, NotFoundError } from '@crm/platform/errors';

/** Also the answer for users of other tenants and users outside the caller's scope. */
export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`User ${id} does not exist`, { code: 'user_not_found' });
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('A user with this e-mail address already exists', { code: 'email_taken' });
  }
}

/** A tenant must keep someone who can administer it. */
export class LastAdminError extends ConflictError {
  constructor() {
    super('This is the last active admin of the tenant; make someone else admin first', { code: 'last_admin' });
  }
}
