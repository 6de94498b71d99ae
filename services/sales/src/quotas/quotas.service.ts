import { Injectable } from '@nestjs/common';
import { mapPage, toMoney, type Page } from '@crm/platform/api';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import type { ListQuotasQueryDto, PutQuotasDto, QuotaDto } from './dto/quota.dto';
import { InvalidPeriodError, NegativeQuotaError, QuotaSubjectError } from './quota.errors';
import { parsePeriod } from './quota-period';
import { QuotasRepository, type Quota, type QuotaToSet } from './quotas.repository';

/** Quotas per rep or team and period (month, quarter, year): what the forecast measures attainment against. */
@Injectable()
export class QuotasService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly quotas: QuotasRepository,
  ) {}

  async list(query: ListQuotasQueryDto): Promise<Page<QuotaDto>> {
    if (query.ownerId && query.teamId) throw new QuotaSubjectError('teamId');
    const subjectKind = query.ownerId ? 'user' : query.teamId ? 'team' : query.kind;
    return this.transactions.run(async (manager) =>
      mapPage(await this.quotas.page(manager, { period: query.period, subjectKind, subjectId: query.ownerId ?? query.teamId }, query), toQuotaDto),
    );
  }

  /** Sets every quota of the request (created, or replaced for the same subject and period) in one transaction. */
  async put(input: PutQuotasDto): Promise<QuotaDto[]> {
    const caller = principal();
    const quotas: QuotaToSet[] = input.items.map((item, index) => {
      const subjectId = item.ownerId ?? item.teamId;
      if (!subjectId || (item.ownerId && item.teamId)) throw new QuotaSubjectError(`items[${index}].ownerId`);
      const period = parsePeriod(item.period);
      if (!period) throw new InvalidPeriodError(`items[${index}].period`, item.period);
      const amountMicros = BigInt(item.amount.amountMicros);
      if (amountMicros < 0n) throw new NegativeQuotaError(`items[${index}].amount`);
      return { subjectKind: item.ownerId ? 'user' : 'team', subjectId, period, amountMicros, currency: item.amount.currency };
    });
    return this.transactions.run(async (manager) => (await this.quotas.upsert(manager, dedupe(quotas), caller.userId)).map(toQuotaDto));
  }
}

/** The last of several items for the same subject and period wins (one statement cannot upsert a row twice). */
function dedupe(quotas: readonly QuotaToSet[]): QuotaToSet[] {
  const byKey = new Map<string, QuotaToSet>();
  for (const quota of quotas) byKey.set(`${quota.subjectKind}:${quota.subjectId}:${quota.period.key}`, quota);
  return [...byKey.values()];
}

function toQuotaDto(quota: Quota): QuotaDto {
  return {
    id: quota.id,
    ownerId: quota.subjectKind === 'user' ? quota.subjectId : null,
    teamId: quota.subjectKind === 'team' ? quota.subjectId : null,
    period: quota.period,
    periodStart: quota.periodStart,
    periodEnd: quota.periodEnd,
    amount: toMoney(quota.amountMicros, quota.currency),
    version: quota.version,
    updatedAt: quota.updatedAt.toISOString(),
  };
}
