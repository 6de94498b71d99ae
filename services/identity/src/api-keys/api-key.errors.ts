import { NotFoundError, PermissionDeniedError, UnauthorizedError } from '@crm/platform/errors';

export class ApiKeyNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`API key ${id} does not exist`, { code: 'api_key_not_found' });
  }
}

/** One answer for unknown, malformed, revoked and expired keys and keys of deactivated users. */
export class InvalidApiKeyError extends UnauthorizedError {
  constructor() {
    super('The API key is not valid', { code: 'invalid_api_key' });
  }
}

/** A key can do at most what its creator can. */
export class RolesNotHeldError extends PermissionDeniedError {
  constructor(roles: readonly string[]) {
    super(`You cannot give a key roles you do not have: ${roles.join(', ')}`, { code: 'roles_not_held' });
  }
}
