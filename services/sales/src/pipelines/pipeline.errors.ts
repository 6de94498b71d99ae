import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

/** Also the answer for pipelines of other tenants. */
export class PipelineNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Pipeline ${id} does not exist`, { code: 'pipeline_not_found' });
  }
}

/** Stage keys must be unique, and won/lost are reserved for the closing stages. */
export class InvalidStagesError extends ValidationFailedError {
  constructor(message: string) {
    super([{ field: 'stages', message }], message);
  }
}

/** Removing a stage opportunities are in would orphan them. */
export class StageInUseError extends ConflictError {
  constructor(keys: readonly string[]) {
    super(`Opportunities are in the stage(s) ${keys.join(', ')}; move them to another stage before removing it`, { code: 'stage_in_use' });
  }
}

/** The default pipeline can be replaced by making another one default, not by un-defaulting it. */
export class DefaultPipelineRequiredError extends UnprocessableError {
  constructor() {
    super('A tenant always has a default pipeline: make another pipeline the default instead', { code: 'default_pipeline_required' });
  }
}
