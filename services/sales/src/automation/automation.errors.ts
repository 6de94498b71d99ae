import { ConflictError, NotFoundError, UnprocessableError, type FieldError } from '@crm/platform/errors';

export class AutomationRuleNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Automation rule ${id} does not exist`, { code: 'automation_rule_not_found' });
  }
}

/** Conditions or params the trigger or action does not know, or invalid values; `errors` lists each. */
export class AutomationRuleInvalidError extends UnprocessableError {
  constructor(errors: FieldError[]) {
    super(`The rule is invalid: ${errors.map((error) => error.message).join('; ')}`, { code: 'invalid_automation_rule', errors });
  }
}

export class TriggerActionMismatchError extends UnprocessableError {
  constructor(errors: FieldError[]) {
    super(errors.map((error) => error.message).join('; '), { code: 'trigger_action_mismatch', errors });
  }
}

export class AutomationRuleNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`An automation rule named ${JSON.stringify(name)} exists already`, { code: 'automation_rule_name_taken' });
  }
}
