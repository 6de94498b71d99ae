import { ConflictError, NotFoundError, UnprocessableError } from '@crm/platform/errors';

export class ContractNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Contract ${id} does not exist`, { code: 'contract_not_found' });
  }
}

export class ContractTransitionError extends ConflictError {
  constructor(contractNumber: string, from: string, to: string) {
    super(`Contract ${contractNumber} is ${from}; it cannot become ${to}`, { code: 'contract_status_transition' });
  }
}

export class ContractSignedFieldsError extends UnprocessableError {
  constructor(contractNumber: string) {
    super(`Contract ${contractNumber} is signed: its amount and currency no longer change`, { code: 'contract_signed' });
  }
}

export class ContractDatesError extends UnprocessableError {
  constructor(detail: string) {
    super(detail, { code: 'contract_dates_invalid' });
  }
}

export class ScheduleMismatchError extends UnprocessableError {
  constructor(detail: string) {
    super(detail, { code: 'schedule_sum_mismatch' });
  }
}
