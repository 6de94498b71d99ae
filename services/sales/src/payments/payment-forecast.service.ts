import { Injectable } from '@nestjs/common';
import { toMoney } from '@crm/platform/api';
import { TenantTransactions } from '@crm/platform/database';
import { BadRequestError } from '@crm/platform/errors';
import { CurrencyConverter, prepareReportTransaction } from '../exchange-rates/currency-converter';
import { isCalendarDate } from '../exchange-rates/exchange-rates.service';
import { OVERDUE_BUCKETS, type ForecastMonthDto, type OverdueBucket, type OverdueBucketDto, type PaymentForecastDto, type PaymentForecastQueryDto, type UnconvertedAmountDto } from './dto/payment-forecast.dto';
import { PaymentForecastRepository, type ForecastRow } from './payment-forecast.repository';

const OLDEST_LIMIT = 100;
const MAX_MONTHS = 120;

/** Months from `from` to `to` (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (label > last) return months;
    months.push(label);
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
}

function daysOverdueBucket(days: number): OverdueBucket {
  return days <= 30 ? '1-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+';
}

interface Slot {
  amount: bigint;
  instalments: number;
  unconverted: Map<string, { amount: bigint; instalments: number }>;
}

function summarise(rows: readonly ForecastRow[]): Slot {
  const slot: Slot = { amount: 0n, instalments: 0, unconverted: new Map() };
  for (const row of rows) {
    slot.instalments += row.instalments;
    if (row.unconvertedCurrency === null) {
      slot.amount += row.amount;
    } else {
      const entry = slot.unconverted.get(row.unconvertedCurrency) ?? { amount: 0n, instalments: 0 };
      entry.amount += row.amount;
      entry.instalments += row.instalments;
      slot.unconverted.set(row.unconvertedCurrency, entry);
    }
  }
  return slot;
}

function unconvertedOf(slot: Slot): UnconvertedAmountDto[] {
  return [...slot.unconverted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, entry]) => ({ currency, amountMicros: entry.amount.toString(), instalments: entry.instalments }));
}

/**
 * GET /reports/payment-forecast: open instalment amounts by due month (expected receipts), what is
 * overdue by days-past-due bucket, and both per owner, in the reporting currency. Only instalments of
 * signed, active or expired contracts count (drafts are not owed yet, terminated ones no longer).
 */
@Injectable()
export class PaymentForecastService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly forecast: PaymentForecastRepository,
    private readonly converter: CurrencyConverter,
  ) {}

  report(query: PaymentForecastQueryDto): Promise<PaymentForecastDto> {
    const asOf = query.asOf ?? new Date().toISOString().slice(0, 10);
    for (const [name, value] of [['from', query.from], ['to', query.to], ['asOf', asOf]] as const) {
      if (!isCalendarDate(value)) throw new BadRequestError(`${name} ${value} is not a calendar date`, { code: 'invalid_date' });
    }
    if (query.to < query.from) throw new BadRequestError('to is before from', { code: 'invalid_range' });
    const months = monthsBetween(query.from, query.to);
    if (months.length > MAX_MONTHS) throw new BadRequestError(`At most ${MAX_MONTHS} months at once`, { code: 'invalid_range' });

    return this.transactions.run(async (manager) => {
      const currency = await this.converter.reportingCurrency(manager);
      await prepareReportTransaction(manager);
      const { expected: expectedRows, overdue: overdueRows } = await this.forecast.openAmounts(manager, currency, { from: query.from, to: query.to, asOf }, query.ownerId);
      const oldest = await this.forecast.oldestOverdue(manager, asOf, query.ownerId, OLDEST_LIMIT);

      const monthsOf = (rows: readonly ForecastRow[]): ForecastMonthDto[] =>
        months.map((month) => {
          const slot = summarise(rows.filter((row) => row.slot === month));
          return { month, expected: toMoney(slot.amount, currency), instalments: slot.instalments, unconverted: unconvertedOf(slot) };
        });
      const bucketsOf = (rows: readonly ForecastRow[]): OverdueBucketDto[] =>
        OVERDUE_BUCKETS.map((bucket) => {
          const slot = summarise(rows.filter((row) => row.slot === bucket));
          return { bucket, amount: toMoney(slot.amount, currency), instalments: slot.instalments, unconverted: unconvertedOf(slot) };
        });

      const expected = summarise(expectedRows);
      const overdue = summarise(overdueRows);
      const owners = [...new Set([...expectedRows, ...overdueRows].map((row) => row.ownerId))].map((ownerId) => {
        const ownExpected = expectedRows.filter((row) => row.ownerId === ownerId);
        const ownOverdue = overdueRows.filter((row) => row.ownerId === ownerId);
        return {
          ownerId,
          expected: toMoney(summarise(ownExpected).amount, currency),
          months: monthsOf(ownExpected),
          overdue: toMoney(summarise(ownOverdue).amount, currency),
          overdueBuckets: bucketsOf(ownOverdue),
        };
      });
      const weight = (owner: (typeof owners)[number]) => BigInt(owner.expected.amountMicros) + BigInt(owner.overdue.amountMicros);
      owners.sort((a, b) => (weight(a) === weight(b) ? a.ownerId.localeCompare(b.ownerId) : weight(b) > weight(a) ? 1 : -1));

      return {
        reportingCurrency: currency,
        from: query.from,
        to: query.to,
        asOf,
        expected: toMoney(expected.amount, currency),
        months: monthsOf(expectedRows),
        overdue: {
          total: toMoney(overdue.amount, currency),
          instalments: overdue.instalments,
          buckets: bucketsOf(overdueRows),
          unconverted: unconvertedOf(overdue),
          oldest: oldest.map((row) => ({
            instalmentId: row.instalmentId,
            contractId: row.contractId,
            contractNumber: row.contractNumber,
            ownerId: row.ownerId,
            dueDate: row.dueDate,
            daysOverdue: row.daysOverdue,
            bucket: daysOverdueBucket(row.daysOverdue),
            open: toMoney(row.open, row.currency),
          })),
        },
        owners,
      };
    });
  }
}
