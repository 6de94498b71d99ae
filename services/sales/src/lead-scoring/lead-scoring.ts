/**
 * Lead scoring: a pure function of the lead, what is known about its interactions and the tenant's
 * rules (data, see `ScoringRules`). Every rule contributes points and says why, so a rep can read the
 * score: `[{rule: 'industry', points: 20, detail: '制造业 is a target industry'}, …]`. The sum is
 * clamped to 0–100. No I/O here; `LeadScorer` gathers the inputs.
 */

export const LEAD_CHANNELS = ['web_form', 'event', 'partner_referral', 'import', 'manual', 'api'] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

export const SCORING_RULE_KEYS = ['industry', 'companySize', 'channel', 'interactions', 'recency'] as const;
export type ScoringRuleKey = (typeof SCORING_RULE_KEYS)[number];

/** A band of company sizes (employees, `min` inclusive, `max` inclusive; no max: and above). */
export interface CompanySizeBand {
  min: number;
  max?: number | null;
  points: number;
}

/** Points when the last interaction is at most `withinDays` days ago; the first matching band counts. */
export interface RecencyBand {
  withinDays: number;
  points: number;
}

export interface ScoringRules {
  /** Industry fit: `points` when the lead's industry is one of `targets` (case-insensitive), else `otherPoints`. */
  industry: { targets: string[]; points: number; otherPoints: number };
  /** Company size bands; the first band the size falls in counts; unknown size scores 0. */
  companySize: CompanySizeBand[];
  /** Points per channel the lead came from; channels not listed score 0. */
  channel: Partial<Record<LeadChannel, number>>;
  /** Interaction frequency: `pointsEach` per interaction (activities on the lead + repeated captures), at most `maxPoints`. */
  interactions: { pointsEach: number; maxPoints: number };
  /** Recency of the last interaction (or capture), bands checked in ascending `withinDays`. */
  recency: RecencyBand[];
}

/** What a tenant gets until it sets its own rules. */
export const DEFAULT_SCORING_RULES: ScoringRules = Object.freeze({
  industry: { targets: ['制造业', '信息技术', '软件', '金融', '医疗'], points: 20, otherPoints: 0 },
  companySize: [
    { min: 1000, max: null, points: 25 },
    { min: 200, max: 999, points: 20 },
    { min: 50, max: 199, points: 12 },
    { min: 10, max: 49, points: 6 },
    { min: 0, max: 9, points: 2 },
  ],
  channel: { partner_referral: 20, event: 15, web_form: 12, api: 8, manual: 8, import: 4 },
  interactions: { pointsEach: 5, maxPoints: 20 },
  recency: [
    { withinDays: 3, points: 15 },
    { withinDays: 14, points: 10 },
    { withinDays: 30, points: 5 },
  ],
}) as ScoringRules;

/** What the score is computed from. */
export interface ScoringInput {
  channel: LeadChannel;
  industry: string | null;
  companySize: number | null;
  /** Activities recorded on the lead plus captures beyond the first. */
  interactions: number;
  /** The last interaction or capture. */
  lastInteractionAt: Date;
  now: Date;
}

export interface ScoreReason {
  rule: ScoringRuleKey;
  points: number;
  detail: string;
}

export interface LeadScore {
  score: number;
  reasons: ScoreReason[];
}

const DAY_MS = 86_400_000;

export function scoreLead(input: ScoringInput, rules: ScoringRules): LeadScore {
  const reasons: ScoreReason[] = [industryReason(input, rules), sizeReason(input, rules), channelReason(input, rules), interactionsReason(input, rules), recencyReason(input, rules)];
  const sum = reasons.reduce((total, reason) => total + reason.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(sum))), reasons };
}

function industryReason({ industry }: ScoringInput, { industry: rule }: ScoringRules): ScoreReason {
  if (!industry) return { rule: 'industry', points: 0, detail: 'industry unknown' };
  const wanted = industry.trim().toLowerCase();
  const target = rule.targets.some((candidate) => candidate.trim().toLowerCase() === wanted);
  return target
    ? { rule: 'industry', points: rule.points, detail: `${industry} is a target industry` }
    : { rule: 'industry', points: rule.otherPoints, detail: `${industry} is not a target industry` };
}

function sizeReason({ companySize }: ScoringInput, { companySize: bands }: ScoringRules): ScoreReason {
  if (companySize === null) return { rule: 'companySize', points: 0, detail: 'company size unknown' };
  const band = bands.find((candidate) => companySize >= candidate.min && (candidate.max == null || companySize <= candidate.max));
  if (!band) return { rule: 'companySize', points: 0, detail: `${companySize} employees is in no size band` };
  const range = band.max == null ? `${band.min}+` : `${band.min}–${band.max}`;
  return { rule: 'companySize', points: band.points, detail: `${companySize} employees (band ${range})` };
}

function channelReason({ channel }: ScoringInput, rules: ScoringRules): ScoreReason {
  return { rule: 'channel', points: rules.channel[channel] ?? 0, detail: `captured via ${channel}` };
}

function interactionsReason({ interactions }: ScoringInput, { interactions: rule }: ScoringRules): ScoreReason {
  const points = Math.min(rule.maxPoints, Math.max(0, interactions) * rule.pointsEach);
  return { rule: 'interactions', points, detail: `${interactions} interaction${interactions === 1 ? '' : 's'}` };
}

function recencyReason({ lastInteractionAt, now }: ScoringInput, { recency }: ScoringRules): ScoreReason {
  const days = Math.max(0, Math.floor((now.getTime() - lastInteractionAt.getTime()) / DAY_MS));
  const band = [...recency].sort((a, b) => a.withinDays - b.withinDays).find((candidate) => days <= candidate.withinDays);
  const when = days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
  return { rule: 'recency', points: band?.points ?? 0, detail: `last interaction ${when}` };
}
