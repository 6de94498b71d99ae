import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

export class TemplateNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Template ${id} does not exist`, { code: 'template_not_found' });
  }
}

export class TemplateVersionNotFoundError extends NotFoundError {
  constructor(id: string, version: number) {
    super(`Template ${id} has no published version ${version}`, { code: 'template_version_not_found' });
  }
}

export class TemplateNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`Another template is already called ${JSON.stringify(name)}`, { code: 'template_name_taken' });
  }
}

export class InvalidTemplateError extends ValidationFailedError {
  constructor(errors: Array<{ field: string; message: string }>) {
    super(errors, 'The template has invalid fields');
  }
}

/** Placeholders in the text that are not declared variables (or not variable names at all). */
export class UnknownTemplateVariablesError extends UnprocessableError {
  constructor(readonly unknown: string[], readonly malformed: string[]) {
    super(
      [unknown.length > 0 ? `Undeclared variables: ${unknown.join(', ')}` : '', malformed.length > 0 ? `Not variable names: ${malformed.map((name) => `{{${name}}}`).join(', ')}` : '']
        .filter(Boolean)
        .join('; '),
      {
        code: 'template_variables_unknown',
        errors: [
          ...unknown.map((name) => ({ field: 'variables', message: `{{${name}}} is used but not declared` })),
          ...malformed.map((name) => ({ field: 'variants', message: `{{${name}}} is not a variable name` })),
        ],
      },
    );
  }
}

/** A preview without a value for a placeholder of the text (and allowMissing not set). */
export class MissingTemplateVariablesError extends UnprocessableError {
  constructor(missing: string[]) {
    super(`No value for ${missing.map((name) => `{{${name}}}`).join(', ')}; give them in variables, or allowMissing: true to render them empty`, {
      code: 'template_variables_missing',
      errors: missing.map((name) => ({ field: `variables.${name}`, message: 'no value given' })),
    });
  }
}

/** A preview in a locale the template has no text for. */
export class TemplateLocaleMissingError extends UnprocessableError {
  constructor(locale: string, available: string[]) {
    super(`The template has no ${locale} variant (it has ${available.join(', ') || 'none'})`, { code: 'template_locale_missing', errors: [{ field: 'locale', message: `no ${locale} variant` }] });
  }
}
