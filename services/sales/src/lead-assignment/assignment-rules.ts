/**
 * Lead assignment rules as data, and the pure parts of applying them: which rule a lead matches and
 * who is next in a team's rotation. `LeadAssigner` does the I/O (reps, loads, the locked cursor).
 */

/** One ordered rule: every condition given must hold; the first matching rule decides. */
export interface AssignmentRule {
  name: string;
  /** The lead's region is one of these (case-insensitive). */
  regions?: string[];
  /** The lead's industry is one of these (case-insensitive). */
  industries?: string[];
  /** Score band, inclusive. */
  minScore?: number;
  maxScore?: number;
  /** Give the lead to this team's reps (round-robin; senior reps for high scores)… */
  teamId?: string;
  /** …or to this user. Exactly one of teamId and userId. */
  userId?: string;
  /** Max open leads per rep under this rule; the tenant's default when absent. */
  capacity?: number;
}

export interface AssignmentRules {
  /** Leads scoring at least this go to the team's senior reps (seniority senior or lead). */
  highScoreThreshold: number;
  /** Max open leads per rep when a rule names none. */
  defaultCapacity: number;
  rules: AssignmentRule[];
}

export const DEFAULT_ASSIGNMENT_RULES: AssignmentRules = Object.freeze({ highScoreThreshold: 80, defaultCapacity: 50, rules: [] }) as AssignmentRules;

/** Seniority levels identity knows that count as senior for high-scoring leads. */
export const SENIOR_LEVELS: readonly string[] = ['senior', 'lead'];

/** Why a lead has its owner, or has none. */
export type AssignmentReason =
  | 'customer_owner'
  | 'rule_user'
  | 'senior_round_robin'
  | 'round_robin'
  | 'creator'
  | 'manual'
  | 'unassigned_no_rule'
  | 'unassigned_no_reps'
  | 'unassigned_capacity'
  | 'unassigned_user_unavailable';

export interface LeadFacts {
  region: string | null;
  industry: string | null;
  score: number;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The first rule `lead` satisfies, with its position; undefined when none does. */
export function matchRule(rules: readonly AssignmentRule[], lead: LeadFacts): { rule: AssignmentRule; index: number } | undefined {
  const { region, industry } = lead;
  const index = rules.findIndex((rule) => {
    if (rule.regions?.length && !(region && rule.regions.some((candidate) => same(candidate, region)))) return false;
    if (rule.industries?.length && !(industry && rule.industries.some((candidate) => same(candidate, industry)))) return false;
    if (rule.minScore !== undefined && lead.score < rule.minScore) return false;
    if (rule.maxScore !== undefined && lead.score > rule.maxScore) return false;
    return true;
  });
  return index < 0 ? undefined : { rule: rules[index], index };
}

/**
 * The next user after `last` in `candidates` (kept in one fixed order, e.g. by id) who still has room,
 * wrapping around; null when nobody has room. `last` need not be a candidate any more (left the team):
 * the rotation continues from where it would have been.
 */
export function nextInRotation(candidates: readonly string[], last: string | null, hasRoom: (userId: string) => boolean): string | null {
  if (candidates.length === 0) return null;
  const sorted = [...candidates].sort();
  let start = 0;
  if (last !== null) {
    const after = sorted.findIndex((id) => id > last);
    start = after < 0 ? 0 : after;
  }
  for (let step = 0; step < sorted.length; step++) {
    const candidate = sorted[(start + step) % sorted.length];
    if (hasRoom(candidate)) return candidate;
  }
  return null;
}
