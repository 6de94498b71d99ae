import type { FieldError } from '@crm/platform/errors';

/**
 * What an automation rule is made of, validated per trigger and action, and how its conditions are
 * matched. Pure: the service validates with it, the consumers and the escalation job match with it.
 */

export const AUTOMATION_TRIGGERS = ['order_placed', 'opportunity_won', 'lead_unassigned'] as const;
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number];

export const AUTOMATION_ACTIONS = ['draft_contract_with_invoice_request', 'draft_order', 'escalate_lead'] as const;
export type AutomationAction = (typeof AUTOMATION_ACTIONS)[number];

/** The action each trigger can run (one each for now: a contract needs an order, an order draft a won deal, an escalation a lead). */
export const ACTION_OF_TRIGGER: Record<AutomationTrigger, AutomationAction> = {
  order_placed: 'draft_contract_with_invoice_request',
  opportunity_won: 'draft_order',
  lead_unassigned: 'escalate_lead',
};

/** Which subject a trigger's runs are about. */
export const SUBJECT_OF_TRIGGER: Record<AutomationTrigger, 'order' | 'opportunity' | 'lead'> = {
  order_placed: 'order',
  opportunity_won: 'opportunity',
  lead_unassigned: 'lead',
};

export const LEAD_CHANNELS = ['web_form', 'event', 'partner_referral', 'import', 'manual', 'api'] as const;

export interface Money {
  amountMicros: string;
  currency: string;
}

/** Every condition any trigger knows; which ones a trigger accepts is CONDITIONS_OF_TRIGGER. */
export interface RuleConditions {
  /** The order or opportunity amount is at least this, in this currency (amounts in another currency do not match). */
  minAmount?: Money;
  /** Order channel (sales, web, erp, …) or lead channel (web_form, event, …) is one of these. */
  channels?: string[];
  /** The customer's region (orders, opportunities) or the lead's region is one of these. */
  regions?: string[];
  /** Opportunities of this pipeline only. */
  pipelineId?: string;
  /** Hours a lead may stay open without an owner (lead_unassigned, required). */
  hours?: number;
}

export interface RuleParams {
  /** draft_contract_with_invoice_request: the instalment is due this many days after the order (default 30). */
  invoiceDueDays?: number;
  /** draft_contract_with_invoice_request: the contract ends after this many months (none: open-ended). */
  termMonths?: number;
  /** escalate_lead: the user to escalate to; absent: the managers of the lead's team, else the tenant's admins. */
  targetUserId?: string;
}

const CONDITIONS_OF_TRIGGER: Record<AutomationTrigger, ReadonlyArray<keyof RuleConditions>> = {
  order_placed: ['minAmount', 'channels', 'regions'],
  opportunity_won: ['minAmount', 'pipelineId', 'regions'],
  lead_unassigned: ['hours', 'channels', 'regions'],
};

const PARAMS_OF_ACTION: Record<AutomationAction, ReadonlyArray<keyof RuleParams>> = {
  draft_contract_with_invoice_request: ['invoiceDueDays', 'termMonths'],
  draft_order: [],
  escalate_lead: ['targetUserId'],
};

export const DEFAULT_INVOICE_DUE_DAYS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MICROS = /^(0|[1-9][0-9]{0,17})$/;
const CURRENCY = /^[A-Z]{3}$/;

export type RuleCheck = { ok: true; conditions: RuleConditions; params: RuleParams } | { ok: false; mismatch: boolean; errors: FieldError[] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function integer(value: unknown, field: string, min: number, max: number, errors: FieldError[]): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message: `${field} must be a whole number from ${min} to ${max}` });
    return undefined;
  }
  return value;
}

function strings(value: unknown, field: string, errors: FieldError[], allowed?: readonly string[]): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100 || !value.every((item) => typeof item === 'string' && item.trim() !== '' && item.length <= 100)) {
    errors.push({ field, message: `${field} must be a list of 1 to 100 non-empty texts` });
    return undefined;
  }
  const unknown = allowed ? value.filter((item: string) => !allowed.includes(item)) : [];
  if (unknown.length > 0) {
    errors.push({ field, message: `${field}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not one of ${allowed?.join(', ')}` });
    return undefined;
  }
  return [...new Set(value.map((item: string) => item.trim()))];
}

/**
 * Checks a rule's trigger, action, conditions and params: the action must be the trigger's (else
 * `mismatch`), every condition must be one the trigger knows and every param one the action knows,
 * with valid values. Returns the normalised conditions and params (defaults filled in).
 */
export function checkRule(trigger: AutomationTrigger, action: AutomationAction, conditions: unknown, params: unknown): RuleCheck {
  if (ACTION_OF_TRIGGER[trigger] !== action) {
    return { ok: false, mismatch: true, errors: [{ field: 'action', message: `trigger ${trigger} runs action ${ACTION_OF_TRIGGER[trigger]}, not ${action}` }] };
  }
  const errors: FieldError[] = [];
  const outConditions: RuleConditions = {};
  const outParams: RuleParams = {};
  const rawConditions = conditions ?? {};
  const rawParams = params ?? {};
  if (!isObject(rawConditions)) errors.push({ field: 'conditions', message: 'conditions must be an object' });
  if (!isObject(rawParams)) errors.push({ field: 'params', message: 'params must be an object' });
  if (errors.length > 0) return { ok: false, mismatch: false, errors };
  const c = rawConditions as Record<string, unknown>;
  const p = rawParams as Record<string, unknown>;

  for (const key of Object.keys(c)) {
    if (!(CONDITIONS_OF_TRIGGER[trigger] as readonly string[]).includes(key)) {
      errors.push({ field: `conditions.${key}`, message: `conditions.${key} is not a condition of trigger ${trigger} (allowed: ${CONDITIONS_OF_TRIGGER[trigger].join(', ')})` });
    }
  }
  for (const key of Object.keys(p)) {
    if (!(PARAMS_OF_ACTION[action] as readonly string[]).includes(key)) {
      const allowed = PARAMS_OF_ACTION[action];
      errors.push({ field: `params.${key}`, message: `params.${key} is not a parameter of action ${action} (allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'})` });
    }
  }

  if (c.minAmount !== undefined && CONDITIONS_OF_TRIGGER[trigger].includes('minAmount')) {
    const money = c.minAmount;
    if (!isObject(money) || typeof money.amountMicros !== 'string' || !MICROS.test(money.amountMicros) || typeof money.currency !== 'string' || !CURRENCY.test(money.currency) || Object.keys(money).length !== 2) {
      errors.push({ field: 'conditions.minAmount', message: 'conditions.minAmount must be {amountMicros: a non-negative integer of micros as a string, currency: an ISO 4217 code such as CNY}' });
    } else {
      outConditions.minAmount = { amountMicros: money.amountMicros, currency: money.currency };
    }
  }
  if (c.channels !== undefined && CONDITIONS_OF_TRIGGER[trigger].includes('channels')) {
    outConditions.channels = strings(c.channels, 'conditions.channels', errors, trigger === 'lead_unassigned' ? LEAD_CHANNELS : undefined);
  }
  if (c.regions !== undefined && CONDITIONS_OF_TRIGGER[trigger].includes('regions')) outConditions.regions = strings(c.regions, 'conditions.regions', errors);
  if (c.pipelineId !== undefined && CONDITIONS_OF_TRIGGER[trigger].includes('pipelineId')) {
    if (typeof c.pipelineId !== 'string' || !UUID.test(c.pipelineId)) errors.push({ field: 'conditions.pipelineId', message: 'conditions.pipelineId must be a pipeline id (uuid)' });
    else outConditions.pipelineId = c.pipelineId.toLowerCase();
  }
  if (trigger === 'lead_unassigned') {
    if (c.hours === undefined) errors.push({ field: 'conditions.hours', message: 'conditions.hours is required for trigger lead_unassigned: how many hours a lead may stay without an owner' });
    else outConditions.hours = integer(c.hours, 'conditions.hours', 1, 8760, errors);
  }

  if (action === 'draft_contract_with_invoice_request') {
    outParams.invoiceDueDays = p.invoiceDueDays === undefined ? DEFAULT_INVOICE_DUE_DAYS : integer(p.invoiceDueDays, 'params.invoiceDueDays', 0, 365, errors);
    if (p.termMonths !== undefined) outParams.termMonths = integer(p.termMonths, 'params.termMonths', 1, 120, errors);
  }
  if (action === 'escalate_lead' && p.targetUserId !== undefined) {
    if (typeof p.targetUserId !== 'string' || !UUID.test(p.targetUserId)) errors.push({ field: 'params.targetUserId', message: 'params.targetUserId must be a user id (uuid)' });
    else outParams.targetUserId = p.targetUserId.toLowerCase();
  }
  return errors.length > 0 ? { ok: false, mismatch: false, errors } : { ok: true, conditions: outConditions, params: outParams };
}

/** What a subject offers to the conditions (absent facts never match a condition on them). */
export interface SubjectFacts {
  amountMicros?: bigint;
  currency?: string;
  channel?: string | null;
  region?: string | null;
  pipelineId?: string | null;
}

/** Whether the subject meets every condition of the rule (hours are the escalation job's own filter). */
export function conditionsMatch(conditions: RuleConditions, facts: SubjectFacts): boolean {
  if (conditions.minAmount) {
    if (facts.currency !== conditions.minAmount.currency || facts.amountMicros === undefined) return false;
    if (facts.amountMicros < BigInt(conditions.minAmount.amountMicros)) return false;
  }
  if (conditions.channels && !(facts.channel && conditions.channels.includes(facts.channel))) return false;
  if (conditions.regions && !(facts.region && conditions.regions.includes(facts.region))) return false;
  if (conditions.pipelineId && facts.pipelineId?.toLowerCase() !== conditions.pipelineId) return false;
  return true;
}

/** YYYY-MM-DD plus whole days (UTC calendar). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The last day of a term of `months` starting on `date`: the day before the same day `months` later,
 * clamped to the month's end (2026-01-31 + 1 month → 2026-02-28; 2026-11-23 + 12 → 2027-11-22).
 */
export function termEndDate(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const targetMonth = month - 1 + months;
  const lastDay = new Date(Date.UTC(year, targetMonth + 1, 0)).getUTCDate();
  const sameDay = new Date(Date.UTC(year, targetMonth, Math.min(day, lastDay)));
  // The term is [start, sameDay): it ends the day before, except when the month was too short (clamped: that day is the end).
  if (day > lastDay) return sameDay.toISOString().slice(0, 10);
  sameDay.setUTCDate(sameDay.getUTCDate() - 1);
  return sameDay.toISOString().slice(0, 10);
}
