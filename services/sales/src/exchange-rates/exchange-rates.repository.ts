import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';

export interface ExchangeRateRow {
  currency: string;
  toCurrency: string;
  rate: string;
  validFrom: string;
  validTo: string | null;
  updatedAt: Date;
}

interface RawRate {
  currency: string;
  to_currency: string;
  rate: string;
  valid_from: string;
  valid_to: string | null;
  updated_at: Date;
}

const toRow = (raw: RawRate): ExchangeRateRow => ({
  currency: raw.currency,
  toCurrency: raw.to_currency,
  rate: raw.rate,
  validFrom: raw.valid_from,
  validTo: raw.valid_to,
  updatedAt: raw.updated_at,
});

/** exchange_rates and order_to_cash_settings of the current tenant. */
@Injectable()
export class ExchangeRatesRepository {
  /** Rates to `toCurrency` with their (exclusive) end, the next rate's start. Trailing zeros of the rate are trimmed. */
  async list(manager: EntityManager, toCurrency: string, currency?: string): Promise<ExchangeRateRow[]> {
    const rows: RawRate[] = await manager.query(
      `SELECT currency, to_currency, trim_scale(rate)::text AS rate, valid_from::text AS valid_from,
              (lead(valid_from) OVER (PARTITION BY currency ORDER BY valid_from))::text AS valid_to, updated_at
         FROM exchange_rates
        WHERE tenant_id = $1 AND to_currency = $2 AND ($3::text IS NULL OR currency = $3)
        ORDER BY currency, valid_from`,
      [requireTenantId(), toCurrency, currency ?? null],
    );
    return rows.map(toRow);
  }

  async upsert(manager: EntityManager, rate: { currency: string; toCurrency: string; validFrom: string; rate: string; updatedBy: string | null }): Promise<{ created: boolean }> {
    const rows: Array<{ created: boolean }> = await manager.query(
      `INSERT INTO exchange_rates (tenant_id, currency, to_currency, valid_from, rate, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5::numeric, $6, now())
       ON CONFLICT (tenant_id, to_currency, currency, valid_from) DO UPDATE SET rate = EXCLUDED.rate, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [requireTenantId(), rate.currency, rate.toCurrency, rate.validFrom, rate.rate, rate.updatedBy],
    );
    return { created: rows[0].created };
  }

  async remove(manager: EntityManager, toCurrency: string, currency: string, validFrom: string): Promise<boolean> {
    const rows: Array<{ removed: number }> = await manager.query(
      `WITH removed AS (DELETE FROM exchange_rates WHERE tenant_id = $1 AND to_currency = $2 AND currency = $3 AND valid_from = $4 RETURNING currency)
       SELECT count(*)::int AS removed FROM removed`,
      [requireTenantId(), toCurrency, currency, validFrom],
    );
    return rows[0].removed > 0;
  }

  /** Writes the settings (creating the row on first change) if the version is still `expected`; false otherwise. */
  async saveSettings(manager: EntityManager, settings: { reportingCurrency: string; renewalReminderDays: number }, expected: number | undefined): Promise<number | null> {
    const rows: Array<{ version: number }> = await manager.query(
      `INSERT INTO order_to_cash_settings AS s (tenant_id, reporting_currency, renewal_reminder_days, version, updated_at)
         VALUES ($1, $2, $3, 1, now())
       ON CONFLICT (tenant_id) DO UPDATE
         SET reporting_currency = EXCLUDED.reporting_currency, renewal_reminder_days = EXCLUDED.renewal_reminder_days,
             version = s.version + 1, updated_at = now()
         WHERE $4::int IS NULL OR s.version = $4::int
       RETURNING version`,
      [requireTenantId(), settings.reportingCurrency, settings.renewalReminderDays, expected ?? null],
    );
    return rows[0]?.version ?? null;
  }
}
