import { NotFoundError, UnprocessableError } from '@crm/platform/errors';

export class ExchangeRateNotFoundError extends NotFoundError {
  constructor(currency: string, validFrom: string) {
    super(`There is no ${currency} rate valid from ${validFrom}`, { code: 'exchange_rate_not_found' });
  }
}

export class RateOfReportingCurrencyError extends UnprocessableError {
  constructor(currency: string) {
    super(`${currency} is the reporting currency; it always converts at 1`, { code: 'rate_of_reporting_currency' });
  }
}

export class InvalidRateError extends UnprocessableError {
  constructor(detail: string) {
    super(detail, { code: 'invalid_exchange_rate' });
  }
}
