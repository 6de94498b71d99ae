import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@crm/platform/errors';

export class PartnerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Partner ${id} does not exist`, { code: 'partner_not_found' });
  }
}

export class PartnerNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`Another partner is already called ${JSON.stringify(name)}`, { code: 'partner_name_taken' });
  }
}

export class InvalidPartnerPeriodError extends ValidationFailedError {
  constructor(field: string, value: string) {
    super([{ field, message: `${JSON.stringify(value)} is not a period: 2026, 2026-Q4 or 2026-11` }], 'Invalid period');
  }
}

/** Quotas are in the tenant's reporting currency, so attainment compares like with like. */
export class QuotaCurrencyError extends UnprocessableError {
  constructor(currency: string, reporting: string) {
    super(`Partner quotas are set in the reporting currency ${reporting}, not ${currency}`, { code: 'quota_currency_not_reporting', errors: [{ field: 'amount.currency', message: `must be ${reporting}` }] });
  }
}
