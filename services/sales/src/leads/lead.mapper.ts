import type { LeadDto } from './dto/lead.dto';
import type { LeadEntity } from './lead.entity';

export function toLeadDto(lead: LeadEntity): LeadDto {
  return {
    id: lead.id,
    channel: lead.channel,
    status: lead.status,
    companyName: lead.companyName,
    contactName: lead.contactName,
    phone: lead.phone,
    email: lead.email,
    industry: lead.industry,
    companySize: lead.companySize,
    region: lead.region,
    campaignId: lead.campaignId,
    partnerId: lead.partnerId,
    formId: lead.formId,
    notes: lead.notes,
    score: lead.score,
    scoreReasons: lead.scoreReasons.map((reason) => ({ ...reason })),
    ownerId: lead.ownerId,
    teamId: lead.teamId,
    assignmentReason: lead.assignmentReason,
    duplicateOf: lead.duplicateOf,
    customerId: lead.customerId,
    customerMatch: lead.customerMatch,
    captureCount: lead.captureCount,
    lastInteractionAt: lead.lastInteractionAt.toISOString(),
    opportunityId: lead.opportunityId,
    convertedAt: lead.convertedAt?.toISOString() ?? null,
    disqualifiedReason: lead.disqualifiedReason,
    disqualifiedAt: lead.disqualifiedAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
    version: lead.version,
  };
}
