import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { assertVersion, isUuid, mapPage, toMoney, type Page } from '@crm/platform/api';
import { ValidationFailedError } from '@crm/platform/errors';
import { CurrencyConverter } from '../exchange-rates/currency-converter';
import { lastDayOf } from '../plans/plan-period';
import type {
  CreatePartnerDto,
  ListPartnersQueryDto,
  PartnerAttainmentDto,
  PartnerDto,
  PartnerQuotaDto,
  PartnerReportDto,
  PartnerReportQueryDto,
  PartnerReportRowDto,
  SetPartnerQuotaDto,
  UpdatePartnerDto,
} from './dto/partner.dto';
import { InvalidPartnerPeriodError, PartnerNameTakenError, PartnerNotFoundError, QuotaCurrencyError } from './partner.errors';
import { parsePartnerPeriod, type PartnerPeriod } from './partner-period';
import { PartnersRepository, type PartnerRow, type QuotaRow } from './partners.repository';

/**
 * Partners (distributors, resellers, agents, referrers), their quotas per period, and what they brought:
 * orders placed through them (orders.partner_id) and leads they referred (leads.partner_id).
 */
@Injectable()
export class PartnersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly partners: PartnersRepository,
    private readonly converter: CurrencyConverter,
  ) {}

  list(query: ListPartnersQueryDto): Promise<Page<PartnerDto>> {
    return this.transactions.run(async (manager) =>
      mapPage(await this.partners.page(manager, { kind: query.kind, status: query.status, region: query.region }, { limit: query.limit, cursor: query.cursor, total: query.total }), toPartnerDto),
    );
  }

  get(id: string): Promise<PartnerDto> {
    return this.transactions.run(async (manager) => toPartnerDto(await this.findOrFail(manager, id)));
  }

  create(input: CreatePartnerDto): Promise<PartnerDto> {
    const caller = principal();
    return this.transactions.run(async (manager) => {
      const id = randomUUID();
      const name = input.name.trim();
      await this.unique(name, () =>
        this.partners.insert(manager, {
          id,
          name,
          kind: input.kind,
          region: input.region ?? null,
          contact_name: input.contactName ?? null,
          contact_phone: input.contactPhone ?? null,
          contact_email: input.contactEmail?.toLowerCase() ?? null,
          status: input.status ?? 'active',
          commission_rate_bp: input.commissionRateBp ?? null,
          notes: input.notes ?? null,
          created_by: caller.userId,
        }),
      );
      return toPartnerDto(await this.reload(manager, id));
    });
  }

  update(id: string, input: UpdatePartnerDto, expectedVersion: number | undefined): Promise<PartnerDto> {
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id, { lock: true });
      assertVersion(expectedVersion, row.version);
      const next: PartnerRow = {
        ...row,
        name: input.name !== undefined ? input.name.trim() : row.name,
        kind: input.kind ?? row.kind,
        region: input.region !== undefined ? input.region : row.region,
        contact_name: input.contactName !== undefined ? input.contactName : row.contact_name,
        contact_phone: input.contactPhone !== undefined ? input.contactPhone : row.contact_phone,
        contact_email: input.contactEmail !== undefined ? (input.contactEmail?.toLowerCase() ?? null) : row.contact_email,
        status: input.status ?? row.status,
        commission_rate_bp: input.commissionRateBp !== undefined ? input.commissionRateBp : row.commission_rate_bp,
        notes: input.notes !== undefined ? input.notes : row.notes,
      };
      await this.unique(next.name, () => this.partners.update(manager, next));
      return toPartnerDto(await this.reload(manager, row.id));
    });
  }

  /** Sets (or replaces) the partner's quota of a period, in the tenant's reporting currency. */
  setQuota(id: string, periodValue: string, input: SetPartnerQuotaDto): Promise<PartnerQuotaDto> {
    const period = periodOf('period', periodValue);
    if (input.amount.amountMicros.startsWith('-')) throw new ValidationFailedError([{ field: 'amount.amountMicros', message: 'a quota is not negative' }]);
    return this.transactions.run(async (manager) => {
      const partner = await this.findOrFail(manager, id);
      const reporting = await this.converter.reportingCurrency(manager);
      if (input.amount.currency !== reporting) throw new QuotaCurrencyError(input.amount.currency, reporting);
      await this.partners.setQuota(manager, partner.id, period, input.amount.amountMicros, input.amount.currency);
      const saved = (await this.partners.quotas(manager, partner.id)).find((quota) => quota.period === period.period);
      if (!saved) throw new Error(`quota ${period.period} of partner ${partner.id} vanished after being set`);
      return toQuotaDto(saved);
    });
  }

  quotas(id: string): Promise<PartnerQuotaDto[]> {
    return this.transactions.run(async (manager) => (await this.partners.quotas(manager, (await this.findOrFail(manager, id)).id)).map(toQuotaDto));
  }

  /** The partner's orders, revenue and referral leads of the period against its quota. */
  attainment(id: string, periodValue: string): Promise<PartnerAttainmentDto> {
    const period = periodOf('period', periodValue);
    return this.transactions.run(async (manager) => {
      const partner = await this.findOrFail(manager, id);
      const reporting = await this.converter.reportingCurrency(manager);
      const [sales] = await this.partners.analysis(manager, 'partner', period, reporting, partner.id);
      const leads = (await this.partners.referralLeads(manager, 'partner', period, partner.id)).get(partner.id);
      const quota = (await this.partners.quotaTotals(manager, 'partner', period.period, reporting, partner.id)).get(partner.id) ?? null;
      const revenue = BigInt(sales?.revenue_micros ?? '0');
      return {
        partnerId: partner.id,
        period: period.period,
        orders: sales?.orders ?? 0,
        revenue: toMoney(revenue, reporting),
        unconverted: sales?.unconverted ?? [],
        referralLeads: leads?.leads ?? 0,
        convertedReferralLeads: leads?.converted ?? 0,
        quota: quota === null ? null : toMoney(quota, reporting),
        attainment: attainmentOf(revenue, quota),
      };
    });
  }

  /** Sales through partners in the period by partner, by the partners' region, or by product. */
  report(query: PartnerReportQueryDto): Promise<PartnerReportDto> {
    const period = periodOf('period', query.period);
    const groupBy = query.groupBy ?? 'partner';
    return this.transactions.run(async (manager) => {
      const reporting = await this.converter.reportingCurrency(manager);
      const sales = await this.partners.analysis(manager, groupBy, period, reporting);
      if (groupBy === 'product') {
        const rows: PartnerReportRowDto[] = sales.map((row) => ({
          groupBy,
          key: row.key,
          label: row.label,
          orders: row.orders,
          revenue: toMoney(row.revenue_micros, reporting),
          unconverted: row.unconverted,
          quantity: row.quantity ?? '0',
        }));
        return { period: period.period, groupBy, reportingCurrency: reporting, rows };
      }
      const leads = await this.partners.referralLeads(manager, groupBy, period);
      const quotas = await this.partners.quotaTotals(manager, groupBy, period.period, reporting);
      const labels = groupBy === 'partner' ? await this.partnerNames(manager, [...leads.keys(), ...quotas.keys()]) : new Map<string | null, string | null>();
      const keys = new Set<string | null>([...sales.map((row) => row.key), ...leads.keys(), ...quotas.keys()]);
      const byKey = new Map(sales.map((row) => [row.key, row]));
      const rows: PartnerReportRowDto[] = [...keys].map((key) => {
        const row = byKey.get(key);
        const revenue = BigInt(row?.revenue_micros ?? '0');
        const quota = quotas.get(key) ?? null;
        return {
          groupBy,
          key,
          label: row?.label ?? (groupBy === 'partner' ? (labels.get(key) ?? null) : key),
          orders: row?.orders ?? 0,
          revenue: toMoney(revenue, reporting),
          unconverted: row?.unconverted ?? [],
          referralLeads: leads.get(key)?.leads ?? 0,
          convertedReferralLeads: leads.get(key)?.converted ?? 0,
          quota: quota === null ? null : toMoney(quota, reporting),
          attainment: attainmentOf(revenue, quota),
        };
      });
      rows.sort((a, b) => compareMicros(b.revenue.amountMicros, a.revenue.amountMicros) || String(a.label ?? '').localeCompare(String(b.label ?? '')));
      return { period: period.period, groupBy, reportingCurrency: reporting, rows };
    });
  }

  private async partnerNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string | null, string | null>> {
    const wanted = ids.filter((id): id is string => id !== null);
    if (wanted.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, name FROM partners WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [principal().tenantId, wanted]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private async unique(name: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error, 'partners_name_idx')) throw new PartnerNameTakenError(name);
      throw error;
    }
  }

  /** A partner this transaction just wrote. */
  private async reload(manager: EntityManager, id: string): Promise<PartnerRow> {
    const row = await this.partners.find(manager, id);
    if (!row) throw new Error(`partner ${id} vanished after being written`);
    return row;
  }

  private async findOrFail(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<PartnerRow> {
    const row = isUuid(id) ? await this.partners.find(manager, id.toLowerCase(), options) : null;
    if (!row) throw new PartnerNotFoundError(id);
    return row;
  }
}

function periodOf(field: string, value: string): PartnerPeriod {
  const period = parsePartnerPeriod(value);
  if (!period) throw new InvalidPartnerPeriodError(field, value);
  return period;
}

function attainmentOf(revenue: bigint, quota: bigint | null): number | null {
  if (quota === null || quota === 0n) return null;
  return Number((revenue * 1000n) / quota) / 10;
}

function compareMicros(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

function toPartnerDto(row: PartnerRow): PartnerDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    region: row.region,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    status: row.status,
    commissionRateBp: row.commission_rate_bp,
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toQuotaDto(row: QuotaRow): PartnerQuotaDto {
  return { period: row.period, periodStart: row.period_start, periodEnd: lastDayOf(row.period_end), amount: toMoney(row.amount_micros, row.currency) };
}
