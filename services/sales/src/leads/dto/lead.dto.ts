import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEAD_CHANNELS, SCORING_RULE_KEYS } from '../../lead-scoring/lead-scoring';
import { LEAD_STATUSES } from '../lead.entity';

export class ScoreReasonDto {
  @ApiProperty({ enum: SCORING_RULE_KEYS })
  rule!: string;

  @ApiProperty({ example: 20 })
  points!: number;

  @ApiProperty({ example: '制造业 is a target industry' })
  detail!: string;
}

export class LeadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: LEAD_CHANNELS })
  channel!: string;

  @ApiProperty({ enum: LEAD_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  companyName!: string | null;

  @ApiProperty()
  contactName!: string;

  @ApiProperty({ type: String, nullable: true, description: 'E.164' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true })
  industry!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  companySize!: number | null;

  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  campaignId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  partnerId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The web form it was submitted on' })
  formId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({ minimum: 0, maximum: 100 })
  score!: number;

  @ApiProperty({ type: [ScoreReasonDto] })
  scoreReasons!: ScoreReasonDto[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  ownerId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The team whose rule assigned it' })
  teamId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it has this owner (or none): customer_owner, rule_user, senior_round_robin, round_robin, creator, manual, unassigned_*' })
  assignmentReason!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The open lead it possibly duplicates (similar company name)' })
  duplicateOf!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The existing customer it is linked to' })
  customerId!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['phone', 'email', 'name'], description: 'How the customer was matched' })
  customerMatch!: string | null;

  @ApiProperty({ description: 'Captures of this lead (repeated captures with the same phone or e-mail are counted here)' })
  captureCount!: number;

  @ApiProperty({ format: 'date-time' })
  lastInteractionAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  opportunityId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  convertedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  disqualifiedReason!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  disqualifiedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty()
  version!: number;
}

export class DuplicateMatchDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ enum: ['phone', 'email', 'name'] })
  matchedOn!: string;

  @ApiProperty({ description: '1 for phone and e-mail, the name similarity (0–1) otherwise' })
  similarity!: number;
}

export class CustomerMatchDto {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['phone', 'email', 'name'] })
  matchedOn!: string;

  @ApiProperty()
  similarity!: number;
}

export class AssignmentDto {
  @ApiProperty({ example: 'round_robin' })
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  ruleName!: string | null;

  @ApiProperty({ example: "Next rep of the team's rotation (rule \"华东\")" })
  detail!: string;
}

/**
 * The outcome of a capture. `created`: a new lead (201), possibly with `duplicateOf` (a similar company
 * name among open leads: a possible duplicate, still its own lead). `merged`: the phone or e-mail is an
 * open lead's, so no new lead was made; the capture was counted on that lead (200), which is returned,
 * and `duplicateOf` is its id.
 */
export class LeadCaptureDto extends LeadDto {
  @ApiProperty({ enum: ['created', 'merged'] })
  outcome!: 'created' | 'merged';

  @ApiPropertyOptional({ type: DuplicateMatchDto, nullable: true, description: 'The open lead this capture matched' })
  duplicate!: DuplicateMatchDto | null;

  @ApiPropertyOptional({ type: CustomerMatchDto, nullable: true, description: 'The existing customer this capture matched' })
  customer!: CustomerMatchDto | null;

  @ApiPropertyOptional({ type: AssignmentDto, nullable: true, description: 'How the owner was chosen; null for a merged capture' })
  assignment!: AssignmentDto | null;
}

export class LeadPageDto {
  @ApiProperty({ type: [LeadDto] })
  items!: LeadDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class LeadConversionDto {
  @ApiProperty({ type: LeadDto })
  lead!: LeadDto;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ description: 'True when a new customer is being created by the customers service (from LeadConverted)' })
  customerCreated!: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The opportunity opened; null when none was' })
  opportunityId!: string | null;
}
