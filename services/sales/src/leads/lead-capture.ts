import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requireTenantId } from '@crm/platform/database';
import { normaliseEmail, normaliseName, normalisePhone, normaliseText, type FieldProblem } from '@crm/platform/standardisation';
import { CustomerDirectoryRepository, emailKey, phoneKey, type DirectoryMatch } from '../customers-directory/customer-directory.repository';
import { LeadAssigner, type Assignment } from '../lead-assignment/lead-assigner';
import { LeadScorer } from '../lead-scoring/lead-scorer';
import type { LeadChannel } from '../lead-scoring/lead-scoring';
import type { LeadCaptureDto } from './dto/lead.dto';
import { InvalidLeadError, LEAD_PROBLEMS } from './lead.errors';
import type { LeadEntity } from './lead.entity';
import { LeadEvents } from './lead-events';
import { toLeadDto } from './lead.mapper';
import { LeadsRepository, type OpenLeadMatch } from './leads.repository';

/** A capture from any channel, as the caller gave it (the API's DTO or a web form submission). */
export interface CaptureInput {
  channel: LeadChannel;
  companyName?: string | null;
  contactName: string;
  phone?: string | null;
  email?: string | null;
  industry?: string | null;
  companySize?: number | null;
  region?: string | null;
  campaignId?: string | null;
  partnerId?: string | null;
  notes?: string | null;
  formId?: string | null;
}

/** The contact values of a lead after standardisation. */
export interface CleanContact {
  companyName: string | null;
  contactName: string;
  phone: string | null;
  email: string | null;
  industry: string | null;
  region: string | null;
  notes: string | null;
}

/** Company names at least this similar (trigram, 0–1) to an open lead's make the new lead a possible duplicate. */
export const LEAD_NAME_SIMILARITY = 0.6;
/** Company names at least this similar to a customer's link the lead to that customer (near-identical names only). */
export const CUSTOMER_NAME_SIMILARITY = 0.9;

/** What a capture did: a new lead, or the capture counted on an open lead with the same phone or e-mail. */
export interface CaptureOutcome {
  outcome: 'created' | 'merged';
  lead: LeadEntity;
  result: LeadCaptureDto;
}

/**
 * Captures a lead from any channel in the caller's transaction (the tenant set): standardises the
 * contact, dedups it, scores it and assigns it, with events. Every channel goes through here.
 *
 * Dedup, in order:
 * 1. the phone or e-mail is an open lead's → no second open lead: the capture is counted on that lead
 *    (capture_count, last interaction, blank fields filled, rescored) and that lead comes back with
 *    outcome `merged` and `duplicateOf` = its id;
 * 2. the phone or e-mail is a live customer's, or the company name is near-identical to one → the new
 *    lead is linked (`customerId`) and given to the customer's owner when that user is active;
 * 3. the company name is similar to an open lead's → the new lead is still created, marked as a
 *    possible duplicate (`duplicateOf`, `duplicate.matchedOn = 'name'`).
 * Concurrent captures with the same phone or e-mail are serialised by a transaction advisory lock per
 * contact key, so two simultaneous submissions make one lead.
 */
@Injectable()
export class LeadCapture {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly directory: CustomerDirectoryRepository,
    private readonly scorer: LeadScorer,
    private readonly assigner: LeadAssigner,
    private readonly events: LeadEvents,
  ) {}

  async capture(manager: EntityManager, tenantId: string, input: CaptureInput, createdBy: string | null, now = new Date()): Promise<CaptureOutcome> {
    const contact = standardiseContact(input);
    const keys = [contact.phone ? phoneKey(contact.phone) : null, contact.email ? emailKey(contact.email) : null].filter((key): key is string => key !== null).sort();
    for (const key of keys) await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lead:${tenantId}:${key}`]);

    const scoringRules = await this.scorer.loadRules(manager);
    const open = await this.leads.findOpenByContact(manager, contact);
    if (open) return this.merge(manager, open, input, contact, now, scoringRules);

    const customer = await this.matchCustomer(manager, keys, contact.companyName);
    const similar = contact.companyName ? await this.leads.findOpenBySimilarName(manager, contact.companyName, LEAD_NAME_SIMILARITY) : undefined;

    const lead: LeadEntity = {
      id: randomUUID(),
      tenantId,
      channel: input.channel,
      status: 'new',
      ...contact,
      companySize: input.companySize ?? null,
      campaignId: input.campaignId ?? null,
      partnerId: input.partnerId ?? null,
      formId: input.formId ?? null,
      ownerId: null,
      teamId: null,
      assignmentReason: null,
      score: 0,
      scoreReasons: [],
      scoredAt: now,
      duplicateOf: similar?.leadId ?? null,
      duplicateSimilarity: similar?.similarity ?? null,
      customerId: customer?.customerId ?? null,
      customerMatch: customer?.matchedOn ?? null,
      captureCount: 1,
      lastInteractionAt: now,
      opportunityId: null,
      convertedAt: null,
      convertedBy: null,
      disqualifiedReason: null,
      disqualifiedAt: null,
      disqualifiedBy: null,
      createdBy,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.scorer.score(manager, lead, now, { rules: scoringRules, fresh: true });
    const assignment = await this.chooseOwner(manager, lead, customer, createdBy);
    lead.ownerId = assignment.ownerId;
    lead.teamId = assignment.teamId;
    lead.assignmentReason = assignment.reason;

    await this.leads.insert(manager, lead);
    await this.events.captured(manager, lead);
    await this.events.assigned(manager, lead, null, null, now);
    return {
      outcome: 'created',
      lead,
      result: {
        ...toLeadDto(lead),
        outcome: 'created',
        duplicate: similar ?? null,
        customer: customer ? { customerId: customer.customerId, name: customer.name, matchedOn: customer.matchedOn, similarity: customer.similarity } : null,
        assignment: { reason: assignment.reason, ruleName: assignment.ruleName, detail: assignment.detail },
      },
    };
  }

  /** The same person again while their lead is open: counted on that lead, blanks filled, rescored. */
  private async merge(manager: EntityManager, match: OpenLeadMatch, input: CaptureInput, contact: CleanContact, now: Date, rules: Awaited<ReturnType<LeadScorer['loadRules']>>): Promise<CaptureOutcome> {
    const lead = await this.leads.findForUpdate(manager, match.leadId);
    // Found by the probe in this transaction, under the contact's advisory lock: it is there.
    if (!lead) throw new Error(`open lead ${match.leadId} vanished during a capture`);
    lead.captureCount += 1;
    lead.lastInteractionAt = now;
    const fill = <K extends keyof LeadEntity>(key: K, value: LeadEntity[K] | null | undefined) => {
      if ((lead[key] === null || lead[key] === undefined) && value !== null && value !== undefined) lead[key] = value;
    };
    fill('companyName', contact.companyName);
    fill('phone', contact.phone);
    fill('email', contact.email);
    fill('industry', contact.industry);
    fill('region', contact.region);
    fill('companySize', input.companySize ?? null);
    fill('campaignId', input.campaignId ?? null);
    fill('partnerId', input.partnerId ?? null);
    if (contact.notes && contact.notes !== lead.notes) lead.notes = lead.notes ? `${lead.notes}\n---\n${contact.notes}` : contact.notes;
    await this.scorer.score(manager, lead, now, { rules });
    lead.version += 1;
    lead.updatedAt = now;
    await this.leads.save(manager, lead);
    return {
      outcome: 'merged',
      lead,
      result: { ...toLeadDto(lead), duplicateOf: lead.id, outcome: 'merged', duplicate: match, customer: null, assignment: null },
    };
  }

  /** A live customer with the same phone or e-mail, else one with a near-identical company name. */
  private async matchCustomer(manager: EntityManager, keys: readonly string[], companyName: string | null): Promise<DirectoryMatch | undefined> {
    const [byContact] = await this.directory.findByContactKeys(manager, keys);
    if (byContact) return byContact;
    if (!companyName) return undefined;
    const [byName] = await this.directory.findBySimilarName(manager, companyName, CUSTOMER_NAME_SIMILARITY, 1);
    return byName;
  }

  /** The matched customer's owner when active; else the tenant's rules; else the person who entered it. */
  private async chooseOwner(manager: EntityManager, lead: LeadEntity, customer: DirectoryMatch | undefined, createdBy: string | null): Promise<Assignment> {
    if (customer?.ownerId && (await this.isActive(manager, customer.ownerId))) {
      return { ownerId: customer.ownerId, teamId: null, reason: 'customer_owner', ruleName: null, detail: `Owner of the matched customer ${customer.name}` };
    }
    const rules = await this.assigner.loadRules(manager);
    const assignment = await this.assigner.assign(manager, lead.tenantId, { region: lead.region, industry: lead.industry, score: lead.score }, rules);
    if (assignment.reason === 'unassigned_no_rule' && createdBy && (await this.isActive(manager, createdBy))) {
      return { ownerId: createdBy, teamId: null, reason: 'creator', ruleName: null, detail: 'No assignment rule matches; the person who entered it keeps it' };
    }
    return assignment;
  }

  private async isActive(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active`, [requireTenantId(), userId]);
    return rows.length > 0;
  }
}

/** Standardised contact values, or InvalidLeadError (422) naming every problem. */
export function standardiseContact(input: Pick<CaptureInput, 'companyName' | 'contactName' | 'phone' | 'email' | 'industry' | 'region' | 'notes'>): CleanContact {
  const problems: FieldProblem[] = [];
  const text = (value: string | null | undefined) => (typeof value === 'string' ? normaliseText(value) || null : null);
  const contactName = typeof input.contactName === 'string' ? normaliseName(input.contactName) : '';
  if (!contactName) problems.push({ field: 'contactName', code: LEAD_PROBLEMS.required, message: 'contactName is required' });
  let phone: string | null = null;
  if (input.phone && normaliseText(input.phone)) {
    const result = normalisePhone(input.phone);
    if (result.ok) phone = result.value;
    else problems.push({ field: 'phone', code: LEAD_PROBLEMS.invalidPhone, message: result.message });
  }
  let email: string | null = null;
  if (input.email && normaliseText(input.email)) {
    const result = normaliseEmail(input.email);
    if (result.ok) email = result.value;
    else problems.push({ field: 'email', code: LEAD_PROBLEMS.invalidEmail, message: result.message });
  }
  const contactGiven = Boolean((input.phone && normaliseText(input.phone)) || (input.email && normaliseText(input.email)));
  if (!contactGiven) problems.push({ field: 'phone', code: LEAD_PROBLEMS.contactRequired, message: 'A lead needs a phone or an e-mail address' });
  if (problems.length > 0) throw new InvalidLeadError(problems);
  return {
    companyName: input.companyName ? normaliseName(input.companyName) || null : null,
    contactName,
    phone,
    email,
    industry: text(input.industry),
    region: text(input.region),
    // Notes keep their line breaks; only invisible characters are dropped.
    notes: typeof input.notes === 'string' ? input.notes.split(String.fromCharCode(0)).join('').trim() || null : null,
  };
}
