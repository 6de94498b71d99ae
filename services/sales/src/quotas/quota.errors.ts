import { ValidationFailedError } from '@crm/platform/errors';

export class InvalidPeriodError extends ValidationFailedError {
  constructor(field: string, period: string) {
    super([{ field, message: `${JSON.stringify(period)} is not a period: use a month (2026-11), a quarter (2026-Q4) or a year (2026)` }]);
  }
}

export class QuotaSubjectError extends ValidationFailedError {
  constructor(field: string) {
    super([{ field, message: 'Give exactly one of ownerId and teamId' }]);
  }
}

export class NegativeQuotaError extends ValidationFailedError {
  constructor(field: string) {
    super([{ field, message: 'A quota cannot be negative' }]);
  }
}
