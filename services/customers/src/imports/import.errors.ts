import { ConflictError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationFailedError } from '@crm/platform/errors';
import type { FieldProblem } from '../standardisation';

/** Codes of what can be wrong with an import request, its mapping or one of its rows (errors[], errors.csv). */
export const IMPORT_PROBLEMS = {
  invalidMapping: 'invalid_mapping',
  unknownColumn: 'unknown_column',
  ambiguousColumn: 'ambiguous_column',
  unknownCustomField: 'unknown_custom_field',
  requiredMapping: 'required_mapping',
  tooLong: 'too_long',
  tooMany: 'too_many',
  invalidValue: 'invalid_value',
  invalidDate: 'invalid_date',
  malformedRow: 'malformed_row',
  outsideScope: 'outside_scope',
} as const;

/** 400 listing every problem of the mapping (or the options) at once. */
export class InvalidImportError extends ValidationFailedError {
  constructor(
    readonly problems: FieldProblem[],
    detail = 'The import request is invalid',
  ) {
    super(
      problems.map((problem) => ({ ...problem })),
      detail,
      { code: 'invalid_import' },
    );
  }
}

/** Also the answer for jobs of other tenants and, for non-admins, jobs someone else started. */
export class ImportNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Import ${id} does not exist`, { code: 'import_not_found' });
  }
}

export class ImportFileTooLargeError extends PayloadTooLargeError {
  constructor(maxBytes: number) {
    super(`The file is larger than the ${maxBytes} bytes an import accepts`, { code: 'import_file_too_large' });
  }
}

export class NotMultipartError extends UnsupportedMediaTypeError {
  constructor() {
    super('An import is uploaded as multipart/form-data with the CSV file in the field `file`', { code: 'multipart_required' });
  }
}

/** A finished job cannot be cancelled. */
export class ImportFinishedError extends ConflictError {
  constructor(id: string, status: string) {
    super(`Import ${id} has already ${status === 'cancelled' ? 'been cancelled' : status}`, { code: 'import_finished' });
  }
}
