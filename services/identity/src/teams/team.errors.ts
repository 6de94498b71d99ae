import { ConflictError, NotFoundError, UnprocessableError } from '@crm/platform/errors';

/** Also the answer for teams of other tenants and teams the caller does not belong to. */
export class TeamNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Team ${id} does not exist`, { code: 'team_not_found' });
  }
}

export class TeamNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`The tenant already has a team named "${name}"`, { code: 'team_name_taken' });
  }
}

export class InvalidTeamManagerError extends UnprocessableError {
  constructor(id: string) {
    super(`User ${id} cannot manage a team: they must be an active user of this tenant with the manager or admin role`, { code: 'invalid_team_manager' });
  }
}

export class UnknownTeamMembersError extends UnprocessableError {
  constructor(ids: readonly string[]) {
    super(`These users do not exist or are inactive: ${ids.join(', ')}`, { code: 'unknown_team_members' });
  }
}
