import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { mapPage, type Page, type PageQueryDto } from '@crm/platform/api';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { normaliseName } from '@crm/platform/standardisation';
import { LEAD_FORM_FIELDS } from '../leads/dto/lead-input.dto';
import { LeadCapture, standardiseContact } from '../leads/lead-capture';
import type { CreateLeadFormDto, FormSubmissionDto, LeadFormDto, SubmissionReceivedDto } from './dto/lead-form.dto';
import { FieldNotAllowedError, FormNotFoundError, FormRateLimitedError, InvalidFormFieldsError } from './lead-form.errors';
import { LeadFormsRepository, type LeadForm } from './lead-forms.repository';

/** Submissions sooner than this after the page showed the form are taken for bots. */
export const MIN_FILL_MS = 2_000;
/** The same submission (same normalised values) again within this time is dropped. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
export const DEFAULT_SUBMISSIONS_PER_MINUTE = 30;
const FORM_KEY = /^[A-Za-z0-9_-]{16,64}$/;

const RECEIVED: SubmissionReceivedDto = { status: 'received' };

/**
 * Public web forms. The tenant manages forms (`sales:configure`) and embeds the public URL with the
 * form's random key (192 bits, unguessable). A submission is checked, in this order:
 * 1. the form's rate limit: a one-minute window counter on the form row, updated under its row lock,
 *    so it is exact with any number of service instances (an in-memory bucket would allow N times
 *    the limit with N instances and forget on restart) → 429;
 * 2. spam: the honeypot `website` must be empty and the page must have been shown at least 2 s before
 *    (`startedAt`) → answered 202 like a real submission, so bots learn nothing, and dropped;
 * 3. fields the form does not have → 400; invalid phone/e-mail → 422 (people need to know);
 * 4. the same submission within 10 minutes (double click, replay) → 202, dropped;
 * then captured like any lead (channel and campaign of the form; dedup, score, assignment).
 * The answer is always `202 {status: 'received'}`: no lead id, owner or duplicate leaks out.
 */
@Injectable()
export class LeadFormsService {
  private readonly logger = new Logger(LeadFormsService.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly forms: LeadFormsRepository,
    private readonly capture: LeadCapture,
  ) {}

  create(input: CreateLeadFormDto): Promise<LeadFormDto> {
    const caller = principal();
    const fields = LEAD_FORM_FIELDS.filter((field) => input.fields.includes(field));
    if (!fields.includes('contactName')) throw new InvalidFormFieldsError('a form needs the field contactName');
    if (!fields.includes('phone') && !fields.includes('email')) throw new InvalidFormFieldsError('a form needs the field phone or email');
    const now = new Date();
    const form: LeadForm = {
      id: randomUUID(),
      tenantId: caller.tenantId,
      formKey: randomBytes(24).toString('base64url'),
      name: normaliseName(input.name),
      channel: input.channel ?? 'web_form',
      fields,
      campaignId: input.campaignId?.toLowerCase() ?? null,
      active: true,
      submissionsPerMinute: input.submissionsPerMinute ?? DEFAULT_SUBMISSIONS_PER_MINUTE,
      createdAt: now,
      version: 1,
    };
    return this.transactions.run(async (manager) => {
      await this.forms.insert(manager, form, caller.userId);
      return toFormDto(form);
    });
  }

  list(query: PageQueryDto): Promise<Page<LeadFormDto>> {
    return this.transactions.run(async (manager) => mapPage(await this.forms.page(manager, query), toFormDto));
  }

  async submit(formKey: string, input: FormSubmissionDto, now = new Date()): Promise<SubmissionReceivedDto> {
    if (!FORM_KEY.test(formKey)) throw new FormNotFoundError();
    // The key is how the tenant is found: the one lookup across tenants, by a unique index.
    const form = await this.transactions.runAsSystem((manager) => this.forms.findByKey(manager, formKey));
    if (!form || !form.active) throw new FormNotFoundError();

    return this.transactions.runForTenant(form.tenantId, async (manager) => {
      const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      const count = await this.forms.countSubmission(manager, form.id, windowStart);
      if (count > form.submissionsPerMinute) throw new FormRateLimitedError(Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));

      const spam = spamReason(input, now);
      if (spam) {
        this.logger.log(`form ${form.id}: submission dropped (${spam})`);
        return RECEIVED;
      }
      const given = LEAD_FORM_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null);
      const extra = given.filter((field) => !form.fields.includes(field));
      if (extra.length > 0) throw new FieldNotAllowedError(extra);

      const contact = standardiseContact(input);
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([contact.contactName, contact.companyName, contact.phone, contact.email, contact.industry, contact.region, contact.notes, input.companySize ?? null]))
        .digest('base64url');
      if (await this.forms.seenRecently(manager, form.id, fingerprint, new Date(now.getTime() - DUPLICATE_WINDOW_MS))) return RECEIVED;

      const captured = await this.capture.capture(
        manager,
        form.tenantId,
        { ...input, channel: form.channel, campaignId: form.campaignId, formId: form.id, partnerId: null },
        null,
        now,
      );
      await this.forms.recordSubmission(manager, { id: randomUUID(), formId: form.id, fingerprint, leadId: captured.lead.id, at: now }, new Date(now.getTime() - DUPLICATE_WINDOW_MS));
      return RECEIVED;
    });
  }
}

/** Why a submission looks automated, or undefined. */
export function spamReason(input: Pick<FormSubmissionDto, 'website' | 'startedAt'>, now: Date): string | undefined {
  if (input.website !== undefined && input.website.trim() !== '') return 'honeypot filled';
  const started = Date.parse(input.startedAt);
  if (Number.isNaN(started)) return 'no start time';
  if (now.getTime() - started < MIN_FILL_MS) return 'filled in under 2 seconds';
  return undefined;
}

function toFormDto(form: LeadForm): LeadFormDto {
  return {
    id: form.id,
    formKey: form.formKey,
    name: form.name,
    channel: form.channel,
    fields: [...form.fields],
    campaignId: form.campaignId,
    active: form.active,
    submissionsPerMinute: form.submissionsPerMinute,
    createdAt: form.createdAt.toISOString(),
    version: form.version,
  };
}
