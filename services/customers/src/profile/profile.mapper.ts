import type { AmountsByCurrency, CustomerProfileEntity } from './customer-profile.entity';
import type { MoneyDto, ProfileSummaryDto, ScoresDto } from './dto/profile.dto';

/** The summary callers see; a customer no event has mentioned yet has an empty one. */
export function toProfileSummaryDto(profile: CustomerProfileEntity | null): ProfileSummaryDto {
  return {
    lifetimeRevenue: toMoneyList(profile?.revenue ?? {}),
    ordersCount: profile?.ordersCount ?? 0,
    lastOrderAt: profile?.lastOrderAt?.toISOString() ?? null,
    openOpportunities: { count: profile?.openOpportunitiesCount ?? 0, amount: toMoneyList(profile?.openOpportunitiesAmount ?? {}) },
    openTickets: profile?.openTicketsCount ?? 0,
    lastContactAt: profile?.lastContactAt?.toISOString() ?? null,
    csat: {
      average: profile && profile.csatCount > 0 ? Math.round((profile.csatSum / profile.csatCount) * 100) / 100 : null,
      count: profile?.csatCount ?? 0,
    },
    scores: profile ? toScoresDto(profile) : null,
    updatedAt: profile?.updatedAt.toISOString() ?? null,
  };
}

function toScoresDto(profile: CustomerProfileEntity): ScoresDto | null {
  if (!profile.scoresComputedAt) return null;
  const currency = profile.clvCurrency ?? '';
  const rfm =
    profile.rfmRecency !== null && profile.rfmFrequency !== null && profile.rfmMonetary !== null
      ? { recency: profile.rfmRecency, frequency: profile.rfmFrequency, monetary: profile.rfmMonetary, segment: profile.rfmSegment }
      : null;
  return {
    rfm,
    clvHistoric: { amountMicros: profile.clvHistoricMicros ?? '0', currency },
    clvPredicted: { amountMicros: profile.clvPredictedMicros ?? '0', currency },
    churnRisk: Math.round((profile.churnProbability ?? 0) * 1000) / 1000,
    churnBand: profile.churnBand ?? 'low',
    valueTier: profile.valueTier,
    vip: profile.vip ?? false,
    computedAt: profile.scoresComputedAt.toISOString(),
  };
}

/** Currencies in alphabetical order, so the list is stable. */
function toMoneyList(amounts: AmountsByCurrency): MoneyDto[] {
  return Object.keys(amounts)
    .sort()
    .map((currency) => ({ amountMicros: String(amounts[currency]), currency }));
}
