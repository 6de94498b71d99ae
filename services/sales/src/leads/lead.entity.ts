import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LeadChannel, ScoreReason } from '../lead-scoring/lead-scoring';

export const LEAD_STATUSES = ['new', 'working', 'qualified', 'converted', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Statuses of a lead still being worked: dedup, capacity and handovers look only at these. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'working', 'qualified'];

/** A lead from any channel, with its dedup links, score (and why), owner, and how it ended. */
@Entity('leads')
export class LeadEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  channel!: LeadChannel;

  @Column('text')
  status!: LeadStatus;

  @Column({ name: 'company_name', type: 'text', nullable: true })
  companyName!: string | null;

  @Column({ name: 'contact_name', type: 'text' })
  contactName!: string;

  /** E.164. */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  /** Lower-case. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  industry!: string | null;

  /** Employees. */
  @Column({ name: 'company_size', type: 'integer', nullable: true })
  companySize!: number | null;

  @Column({ type: 'text', nullable: true })
  region!: string | null;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId!: string | null;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId!: string | null;

  @Column({ name: 'form_id', type: 'uuid', nullable: true })
  formId!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  /** The team whose rule assigned it. */
  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId!: string | null;

  /** Why it has this owner (or none): see AssignmentReason. */
  @Column({ name: 'assignment_reason', type: 'text', nullable: true })
  assignmentReason!: string | null;

  @Column('smallint')
  score!: number;

  @Column({ name: 'score_reasons', type: 'jsonb' })
  scoreReasons!: ScoreReason[];

  /** When the score was last computed (the rescoring job refreshes open leads' scores daily). */
  @Column({ name: 'scored_at', type: 'timestamptz', precision: 3 })
  scoredAt!: Date;

  /** An open lead with a similar company name when captured (possible duplicate). */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf!: string | null;

  @Column({ name: 'duplicate_similarity', type: 'real', nullable: true })
  duplicateSimilarity!: number | null;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ name: 'customer_match', type: 'text', nullable: true })
  customerMatch!: 'phone' | 'email' | 'name' | null;

  /** Captures of this lead: 1 + later captures with the same phone or e-mail while it was open. */
  @Column({ name: 'capture_count', type: 'integer' })
  captureCount!: number;

  @Column({ name: 'last_interaction_at', type: 'timestamptz', precision: 3 })
  lastInteractionAt!: Date;

  @Column({ name: 'opportunity_id', type: 'uuid', nullable: true })
  opportunityId!: string | null;

  @Column({ name: 'converted_at', type: 'timestamptz', precision: 3, nullable: true })
  convertedAt!: Date | null;

  @Column({ name: 'converted_by', type: 'uuid', nullable: true })
  convertedBy!: string | null;

  @Column({ name: 'disqualified_reason', type: 'text', nullable: true })
  disqualifiedReason!: string | null;

  @Column({ name: 'disqualified_at', type: 'timestamptz', precision: 3, nullable: true })
  disqualifiedAt!: Date | null;

  @Column({ name: 'disqualified_by', type: 'uuid', nullable: true })
  disqualifiedBy!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column('integer')
  version!: number;
}

export function isOpen(lead: Pick<LeadEntity, 'status'>): boolean {
  return OPEN_LEAD_STATUSES.includes(lead.status);
}
