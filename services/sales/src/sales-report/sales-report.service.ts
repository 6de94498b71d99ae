import { Injectable } from '@nestjs/common';
import { toMoney } from '@crm/platform/api';
import { TenantTransactions } from '@crm/platform/database';
import { BadRequestError } from '@crm/platform/errors';
import { CurrencyConverter, prepareReportTransaction } from '../exchange-rates/currency-converter';
import type { SalesFiguresDto, SalesGroupDto, SalesReportDto, SalesReportQueryDto } from './dto/sales-report.dto';
import { parsePeriod } from './report-period';
import { SalesReportRepository, type SalesRow } from './sales-report.repository';

/** Figures of one group from its currency buckets (one converted, any number unconverted). */
export function figuresOf(rows: readonly SalesRow[], currency: string): SalesFiguresDto {
  const converted = rows.filter((row) => row.unconvertedCurrency === null);
  const sum = (pick: (row: SalesRow) => bigint) => converted.reduce((total, row) => total + pick(row), 0n);
  const revenue = sum((row) => row.revenue);
  const costed = sum((row) => row.costedRevenue);
  const cost = sum((row) => row.cost);
  const convertedOrders = converted.reduce((total, row) => total + row.orders, 0);
  const unconvertedRows = rows.filter((row) => row.unconvertedCurrency !== null);
  const margin = costed - cost;
  return {
    orders: rows.reduce((total, row) => total + row.orders, 0),
    revenue: toMoney(revenue, currency),
    averageDealSize: convertedOrders > 0 ? toMoney(revenue / BigInt(convertedOrders), currency) : null,
    costedRevenue: toMoney(costed, currency),
    revenueWithoutCost: toMoney(revenue - costed, currency),
    margin: toMoney(margin, currency),
    marginRate: costed > 0n ? Math.round((Number(margin) / Number(costed)) * 10_000) / 10_000 : null,
    unconverted: unconvertedRows
      .map((row) => ({ currency: row.unconvertedCurrency as string, amountMicros: row.revenue.toString(), orders: row.orders }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/** GET /reports/sales: revenue, orders, average deal size and margin by owner, team, product, region or partner. */
@Injectable()
export class SalesReportService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly report: SalesReportRepository,
    private readonly converter: CurrencyConverter,
  ) {}

  sales(query: SalesReportQueryDto): Promise<SalesReportDto> {
    const period = parsePeriod(query.period);
    if (!period) throw new BadRequestError(`period ${query.period} is not YYYY, YYYY-MM or YYYY-Qn`, { code: 'invalid_period' });
    return this.transactions.run(async (manager) => {
      const currency = await this.converter.reportingCurrency(manager);
      await prepareReportTransaction(manager);
      const rows = await this.report.rows(manager, query.groupBy, currency, period.from, period.to);
      const totals = rows.filter((row) => row.total);
      const byKey = new Map<string | null, SalesRow[]>();
      for (const row of rows) if (!row.total) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
      const names = query.groupBy === 'owner' ? await this.report.userNames(manager, [...byKey.keys()].filter((key): key is string => key !== null)) : new Map<string, string>();
      const groups: SalesGroupDto[] = [...byKey.entries()].map(([key, group]) => ({
        key,
        label: query.groupBy === 'owner' ? (key === null ? null : (names.get(key) ?? null)) : query.groupBy === 'product' ? (group.find((row) => row.label)?.label ?? null) : null,
        ...(query.groupBy === 'product' ? { category: group.find((row) => row.category)?.category ?? null } : {}),
        ...figuresOf(group, currency),
      }));
      groups.sort((a, b) => {
        const difference = BigInt(b.revenue.amountMicros) - BigInt(a.revenue.amountMicros);
        return difference === 0n ? String(a.key).localeCompare(String(b.key)) : difference > 0n ? 1 : -1;
      });
      return {
        reportingCurrency: currency,
        period: period.label,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        groupBy: query.groupBy,
        groups,
        totals: figuresOf(totals, currency),
      };
    });
  }
}
