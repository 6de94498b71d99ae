import { ConflictError, UnprocessableError } from '@crm/platform/errors';

export class CustomFieldKeyTakenError extends ConflictError {
  constructor(key: string) {
    super(`A custom field with the key ${key} already exists`, { code: 'custom_field_key_taken' });
  }
}

/** Definitions are few by design: validation loads them all on every customer write. */
export class TooManyCustomFieldsError extends UnprocessableError {
  constructor(max: number) {
    super(`A tenant may define at most ${max} custom fields`, { code: 'too_many_custom_fields' });
  }
}
