import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { ownershipScope, principal, type OwnershipScope, type Principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomerDirectoryRepository } from '../customers-directory/customer-directory.repository';
import { LeadScorer } from '../lead-scoring/lead-scorer';
import { OpportunityOpener } from '../opportunities/opportunity-opener';
import type { ConvertLeadDto, DisqualifyLeadDto, ListLeadsQueryDto, UpdateLeadDto } from './dto/lead-input.dto';
import type { LeadCaptureDto, LeadConversionDto, LeadDto } from './dto/lead.dto';
import { LeadCapture, standardiseContact, type CaptureInput } from './lead-capture';
import { ConversionCustomerNotFoundError, LeadClosedError, LeadNotFoundError, OwnerNotAssignableError } from './lead.errors';
import { isOpen, type LeadEntity } from './lead.entity';
import { LeadEvents, type NewCustomer } from './lead-events';
import { toLeadDto } from './lead.mapper';
import { LeadsRepository } from './leads.repository';

@Injectable()
export class LeadsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly leads: LeadsRepository,
    private readonly capturer: LeadCapture,
    private readonly scorer: LeadScorer,
    private readonly events: LeadEvents,
    private readonly directory: CustomerDirectoryRepository,
    private readonly opportunities: OpportunityOpener,
  ) {}

  /** A lead from the API (any channel); see LeadCapture for dedup, scoring and assignment. */
  capture(input: CaptureInput): Promise<LeadCaptureDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const { result } = await this.capturer.capture(manager, caller.tenantId, { ...input, formId: null }, caller.userId);
      // Merged into a lead the caller may not see: they learn that it exists and who owns it, not what it holds.
      if (result.outcome === 'merged' && !(await this.leads.findInScope(manager, result.id, scope))) return toOutsiderView(result);
      return result;
    });
  }

  list(query: ListLeadsQueryDto): Promise<Page<LeadDto>> {
    const scope = ownershipScope();
    const { status, ownerId, channel, minScore, limit, cursor, total } = query;
    return this.transactions.run(async (manager) => mapPage(await this.leads.page(manager, { status, ownerId, channel, minScore }, scope, { limit, cursor, total }), toLeadDto));
  }

  get(id: string): Promise<LeadDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => toLeadDto(await this.findOrFail(manager, id, scope)));
  }

  /** Changes an open lead: contact fields (standardised like a capture), status among the open ones, owner; rescored. */
  update(id: string, input: UpdateLeadDto, expectedVersion: number | undefined): Promise<LeadDto> {
    const caller = principal();
    const scope = ownershipScope();
    const { version: _version, ownerId, status, companySize, ...contactChanges } = input;
    return this.transactions.run(async (manager) => {
      const lead = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, lead.version);
      if (!isOpen(lead)) throw new LeadClosedError(lead.id, lead.status as 'converted' | 'disqualified');
      const now = new Date();
      // DTO instances carry every declared property, absent ones as undefined: only given values change the lead.
      const given = Object.fromEntries(Object.entries(contactChanges).filter(([, value]) => value !== undefined));
      const merged: CaptureInput = { ...pickContact(lead), ...given };
      const clean = standardiseContact({ ...merged, contactName: merged.contactName ?? '' });
      Object.assign(lead, clean);
      if (companySize !== undefined) lead.companySize = companySize;
      if (status !== undefined) lead.status = status;
      const previousOwner = lead.ownerId;
      if (ownerId !== undefined && ownerId.toLowerCase() !== lead.ownerId) {
        await this.checkOwner(manager, ownerId.toLowerCase(), caller, scope);
        lead.ownerId = ownerId.toLowerCase();
        lead.teamId = null;
        lead.assignmentReason = 'manual';
      }
      await this.scorer.score(manager, lead, now);
      lead.version += 1;
      lead.updatedAt = now;
      await this.leads.save(manager, lead);
      if (lead.ownerId !== previousOwner) await this.events.assigned(manager, lead, previousOwner, caller.userId, now);
      return toLeadDto(lead);
    });
  }

  /**
   * Converts an open lead: links it to `customerId`, else to the customer it matched at capture, else asks
   * the customers service (LeadConverted) to create a new customer with an id chosen here; then opens an
   * opportunity for it. All in one transaction with the events.
   */
  convert(id: string, input: ConvertLeadDto): Promise<LeadConversionDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const lead = await this.findOrFail(manager, id, scope, { lock: true });
      if (!isOpen(lead)) throw new LeadClosedError(lead.id, lead.status as 'converted' | 'disqualified');
      const now = new Date();
      const ownerId = lead.ownerId ?? caller.userId;

      let customerId: string;
      let customerName: string;
      let newCustomer: NewCustomer | null = null;
      const linkTo = input.customerId?.toLowerCase() ?? lead.customerId;
      if (linkTo) {
        const existing = await this.directory.findLive(manager, linkTo);
        if (!existing) throw new ConversionCustomerNotFoundError(linkTo);
        customerId = existing.id;
        customerName = existing.name;
      } else {
        customerId = randomUUID();
        newCustomer = newCustomerOf(lead, ownerId);
        customerName = newCustomer.name;
        // Sales knows this customer before the customers service confirms it (CustomerCreated, version 1
        // replaces this version-0 row): new captures with the same phone or e-mail link to it at once.
        await this.directory.upsert(manager, { id: customerId, tenantId: lead.tenantId, type: newCustomer.type, name: newCustomer.name, ownerId, region: lead.region, industry: lead.industry, phones: newCustomer.phones, emails: newCustomer.emails, version: 0 });
      }

      const opportunity = await this.opportunities.open(manager, {
        tenantId: lead.tenantId,
        name: input.opportunityName ?? customerName,
        customerId,
        ownerId,
        leadId: lead.id,
        pipelineId: input.pipelineId ?? null,
        amountMicros: input.amount ? BigInt(input.amount.amountMicros) : undefined,
        currency: input.amount?.currency,
        expectedCloseDate: input.expectedCloseDate ?? null,
        openedBy: caller.userId,
      });

      const previousOwner = lead.ownerId;
      lead.status = 'converted';
      lead.customerId = customerId;
      lead.opportunityId = opportunity.id;
      lead.convertedAt = now;
      lead.convertedBy = caller.userId;
      if (!lead.ownerId) {
        lead.ownerId = ownerId;
        lead.assignmentReason = 'manual';
      }
      lead.version += 1;
      lead.updatedAt = now;
      await this.leads.save(manager, lead);
      if (lead.ownerId !== previousOwner) await this.events.assigned(manager, lead, previousOwner, caller.userId, now);
      await this.events.converted(manager, lead, customerId, newCustomer);
      return { lead: toLeadDto(lead), customerId, customerCreated: newCustomer !== null, opportunityId: opportunity.id };
    });
  }

  disqualify(id: string, input: DisqualifyLeadDto): Promise<LeadDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const lead = await this.findOrFail(manager, id, scope, { lock: true });
      if (!isOpen(lead)) throw new LeadClosedError(lead.id, lead.status as 'converted' | 'disqualified');
      const now = new Date();
      lead.status = 'disqualified';
      lead.disqualifiedReason = input.reason.trim();
      lead.disqualifiedAt = now;
      lead.disqualifiedBy = caller.userId;
      lead.version += 1;
      lead.updatedAt = now;
      await this.leads.save(manager, lead);
      await this.events.disqualified(manager, lead);
      return toLeadDto(lead);
    });
  }

  /** Admin: any active user; manager: an active member of their teams; others: nobody else. */
  private async checkOwner(manager: EntityManager, ownerId: string, caller: Principal, scope: OwnershipScope): Promise<void> {
    if (ownerId === caller.userId) return;
    if (scope.kind === 'own') throw new OwnerNotAssignableError('You may not give a lead to someone else; ask your manager');
    const rows: Array<{ team_ids: string[] }> = await manager.query(`SELECT team_ids FROM users WHERE tenant_id = $1 AND id = $2 AND active`, [caller.tenantId, ownerId]);
    if (!rows[0]) throw new OwnerNotAssignableError(`User ${ownerId} is not an active user of this tenant`);
    if (scope.kind === 'team' && !rows[0].team_ids.some((teamId) => scope.teamIds.includes(teamId))) throw new OwnerNotAssignableError('A manager may give leads only to members of their teams');
  }

  private async findOrFail(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<LeadEntity> {
    const lead = isUuid(id) ? await this.leads.findInScope(manager, id.toLowerCase(), scope, options) : null;
    if (!lead) throw new LeadNotFoundError(id);
    return lead;
  }
}

function pickContact(lead: LeadEntity): CaptureInput {
  return { channel: lead.channel, companyName: lead.companyName, contactName: lead.contactName, phone: lead.phone, email: lead.email, industry: lead.industry, region: lead.region, notes: lead.notes };
}

/** The customer a lead becomes: a company when it names one, else the person. */
function newCustomerOf(lead: LeadEntity, ownerId: string | null): NewCustomer {
  const company = lead.companyName;
  return {
    type: company ? 'company' : 'person',
    name: company ?? lead.contactName,
    phones: lead.phone ? [lead.phone] : [],
    emails: lead.email ? [lead.email] : [],
    industry: lead.industry,
    region: lead.region,
    ownerId,
    source: `lead:${lead.channel}`,
    contactName: company ? lead.contactName : null,
  };
}

/**
 * A capture merged into someone else's lead, as its caller may see it: the lead's id, status and owner
 * (so they know it is being worked), none of its contact or commercial details.
 */
function toOutsiderView(result: LeadCaptureDto): LeadCaptureDto {
  return {
    ...result,
    companyName: null,
    contactName: '',
    phone: null,
    email: null,
    industry: null,
    companySize: null,
    region: null,
    campaignId: null,
    partnerId: null,
    formId: null,
    notes: null,
    score: 0,
    scoreReasons: [],
    customerId: null,
    customerMatch: null,
    opportunityId: null,
    duplicate: null,
  };
}
