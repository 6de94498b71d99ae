import type { CustomerScoresChanged } from '@crm/contracts';
import { PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { VALUE_TIERS, type ValueTier } from '../../customers/customer-fields';
import type { ProfileEvent } from '../profile-event';
import { assertSameTenant, clip, currencyCode, integerBetween, money, oneOf, requiredTime, requiredUuid } from './event-fields';

export const CHURN_BANDS = ['low', 'medium', 'high'] as const;
export type ChurnBand = (typeof CHURN_BANDS)[number];

/** A customer's scores as analytics computed them. */
export interface ProfileScores {
  rfm: { recency: number; frequency: number; monetary: number; segment: string } | null;
  clvHistoricMicros: bigint;
  clvPredictedMicros: bigint;
  currency: string;
  churnProbability: number;
  churnBand: ChurnBand;
  valueTier: ValueTier | null;
  vip: boolean;
  computedAt: Date;
}

export function fromCustomerScoresChanged(event: ReceivedEvent<CustomerScoresChanged>): { profileEvent: ProfileEvent; scores: ProfileScores } {
  const { data } = event;
  const tenantId = assertSameTenant(event);
  const rfm = data.rfm
    ? {
        recency: integerBetween(data.rfm.recency, 1, 5, 'rfm.recency'),
        frequency: integerBetween(data.rfm.frequency, 1, 5, 'rfm.frequency'),
        monetary: integerBetween(data.rfm.monetary, 1, 5, 'rfm.monetary'),
        segment: data.rfm.segment,
      }
    : null;
  if (!Number.isFinite(data.churnProbability) || data.churnProbability < 0 || data.churnProbability > 1) {
    throw new PoisonMessageError(`churnProbability must be from 0 to 1, got ${data.churnProbability}`);
  }
  const scores: ProfileScores = {
    rfm,
    clvHistoricMicros: data.clvHistoricMicros,
    clvPredictedMicros: data.clvPredictedMicros,
    currency: currencyCode(data.currency, 'currency'),
    churnProbability: data.churnProbability,
    churnBand: oneOf(data.churnBand, CHURN_BANDS, 'churnBand'),
    valueTier: data.valueTier === '' ? null : oneOf(data.valueTier, VALUE_TIERS, 'valueTier'),
    vip: data.vip,
    computedAt: requiredTime(data.computedAt, 'computedAt'),
  };
  const parts = [
    scores.valueTier ? `tier ${scores.valueTier}` : undefined,
    scores.vip ? 'VIP' : undefined,
    `churn risk ${scores.churnBand} (${scores.churnProbability.toFixed(2)})`,
    rfm?.segment ? `RFM ${rfm.segment}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const profileEvent: ProfileEvent = {
    tenantId,
    customerId: requiredUuid(data.customerId, 'customerId'),
    entry: {
      type: 'scores.changed',
      occurredAt: scores.computedAt,
      title: clip(`Scores: ${parts.join(', ')}`, 200),
      summary: data.churnReasons.length > 0 ? clip(`Churn reasons: ${data.churnReasons.join(', ')}`, 500) : null,
      referenceId: null,
      actorId: null,
      payload: {
        changed: [...data.changed],
        valueTier: scores.valueTier,
        vip: scores.vip,
        rfm,
        clvHistoric: money(scores.clvHistoricMicros, scores.currency),
        clvPredicted: money(scores.clvPredictedMicros, scores.currency),
        churnProbability: scores.churnProbability,
        churnBand: scores.churnBand,
        churnReasons: [...data.churnReasons],
        modelVersion: data.modelVersion,
      },
    },
  };
  return { profileEvent, scores };
}
