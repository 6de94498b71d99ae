import { Injectable } from '@nestjs/common';
import { assertVersion, CURRENCY_PATTERN, VersionMismatchError } from '@crm/platform/api';
import { currentPrincipal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CurrencyConverter } from './currency-converter';
import type { ExchangeRateDto, ExchangeRateListDto, PutExchangeRateDto, SalesSettingsDto, UpdateSalesSettingsDto } from './dto/exchange-rate.dto';
import { ExchangeRateNotFoundError, InvalidRateError, RateOfReportingCurrencyError } from './exchange-rate.errors';
import { ExchangeRatesRepository, type ExchangeRateRow } from './exchange-rates.repository';

const toDto = (row: ExchangeRateRow): ExchangeRateDto => ({
  currency: row.currency,
  toCurrency: row.toCurrency,
  rate: row.rate,
  validFrom: row.validFrom,
  validTo: row.validTo,
  updatedAt: row.updatedAt.toISOString(),
});

/** The tenant's reporting currency, renewal reminder period and exchange rates to the reporting currency. */
@Injectable()
export class ExchangeRatesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly rates: ExchangeRatesRepository,
    private readonly converter: CurrencyConverter,
  ) {}

  list(currency?: string): Promise<ExchangeRateListDto> {
    return this.transactions.run(async (manager) => {
      const reportingCurrency = await this.converter.reportingCurrency(manager);
      return { reportingCurrency, items: (await this.rates.list(manager, reportingCurrency, currency)).map(toDto) };
    });
  }

  /** Creates or replaces the rate of `currency` valid from `validFrom` (to the current reporting currency). */
  put(input: PutExchangeRateDto): Promise<{ rate: ExchangeRateDto; created: boolean }> {
    if (!CURRENCY_PATTERN.test(input.currency)) throw new InvalidRateError(`${input.currency} is not an ISO 4217 currency code`);
    if (!/[1-9]/.test(input.rate)) throw new InvalidRateError('rate must be greater than 0');
    if (!isCalendarDate(input.validFrom)) throw new InvalidRateError(`${input.validFrom} is not a calendar date`);
    return this.transactions.run(async (manager) => {
      const reportingCurrency = await this.converter.reportingCurrency(manager);
      if (input.currency === reportingCurrency) throw new RateOfReportingCurrencyError(reportingCurrency);
      const { created } = await this.rates.upsert(manager, {
        currency: input.currency,
        toCurrency: reportingCurrency,
        validFrom: input.validFrom,
        rate: input.rate,
        updatedBy: currentPrincipal()?.userId ?? null,
      });
      const rate = (await this.rates.list(manager, reportingCurrency, input.currency)).find((row) => row.validFrom === input.validFrom);
      if (!rate) throw new ExchangeRateNotFoundError(input.currency, input.validFrom);
      return { rate: toDto(rate), created };
    });
  }

  remove(currency: string, validFrom: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      const reportingCurrency = await this.converter.reportingCurrency(manager);
      if (!isCalendarDate(validFrom) || !(await this.rates.remove(manager, reportingCurrency, currency, validFrom))) throw new ExchangeRateNotFoundError(currency, validFrom);
    });
  }

  settings(): Promise<SalesSettingsDto> {
    return this.transactions.run((manager) => this.converter.settings(manager));
  }

  updateSettings(input: UpdateSalesSettingsDto, expected: number | undefined): Promise<SalesSettingsDto> {
    return this.transactions.run(async (manager) => {
      const current = await this.converter.settings(manager);
      assertVersion(expected, current.version);
      const next = {
        reportingCurrency: input.reportingCurrency ?? current.reportingCurrency,
        renewalReminderDays: input.renewalReminderDays ?? current.renewalReminderDays,
      };
      const version = await this.rates.saveSettings(manager, next, current.version === 0 ? undefined : current.version);
      if (version === null) throw new VersionMismatchError();
      return { ...next, version };
    });
  }
}

/** YYYY-MM-DD that names a real day (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
