import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto, toBoolean } from '@crm/platform/api';
import { AUTOMATION_ACTIONS, AUTOMATION_TRIGGERS, type AutomationAction, type AutomationTrigger } from '../automation-rule-documents';

const CONDITIONS_DOC =
  'Per trigger. order_placed: {minAmount?: Money, channels?: string[], regions?: string[]}; opportunity_won: {minAmount?: Money, pipelineId?: uuid, regions?: string[]}; ' +
  'lead_unassigned: {hours: 1–8760 (required), channels?: lead channels[], regions?: string[]}. Regions are the customer’s (directory) or the lead’s; a minAmount only matches amounts in its currency.';
const PARAMS_DOC =
  'Per action. draft_contract_with_invoice_request: {invoiceDueDays?: 0–365 (default 30), termMonths?: 1–120 (end date; none: open-ended)}; draft_order: {}; ' +
  'escalate_lead: {targetUserId?: uuid (default: the managers of the lead’s team, else the tenant’s admins)}.';

export class CreateAutomationRuleDto {
  @ApiProperty({ example: '下单自动起草合同', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: AUTOMATION_TRIGGERS })
  @IsIn(AUTOMATION_TRIGGERS)
  trigger!: AutomationTrigger;

  @ApiProperty({ enum: AUTOMATION_ACTIONS, description: 'order_placed → draft_contract_with_invoice_request, opportunity_won → draft_order, lead_unassigned → escalate_lead (another pairing: 422)' })
  @IsIn(AUTOMATION_ACTIONS)
  action!: AutomationAction;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: CONDITIONS_DOC, example: { minAmount: { amountMicros: '10000000000', currency: 'CNY' }, channels: ['sales'] } })
  @IsOptional()
  @IsObject()
  conditions?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: PARAMS_DOC, example: { invoiceDueDays: 30, termMonths: 12 } })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateAutomationRuleDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: AUTOMATION_TRIGGERS }) @IsOptional() @IsIn(AUTOMATION_TRIGGERS) trigger?: AutomationTrigger;
  @ApiPropertyOptional({ enum: AUTOMATION_ACTIONS }) @IsOptional() @IsIn(AUTOMATION_ACTIONS) action?: AutomationAction;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `Replaces the conditions. ${CONDITIONS_DOC}` }) @IsOptional() @IsObject() conditions?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `Replaces the params. ${PARAMS_DOC}` }) @IsOptional() @IsObject() params?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'The version you read (instead of If-Match)' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class ListAutomationRulesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUTOMATION_TRIGGERS }) @IsOptional() @IsIn(AUTOMATION_TRIGGERS) trigger?: AutomationTrigger;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() active?: boolean;
}

export class AutomationRuleDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: AUTOMATION_TRIGGERS }) trigger!: AutomationTrigger;
  @ApiProperty({ enum: AUTOMATION_ACTIONS }) action!: AutomationAction;
  @ApiProperty({ type: 'object', additionalProperties: true, description: CONDITIONS_DOC }) conditions!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: `${PARAMS_DOC} Defaults filled in.` }) params!: Record<string, unknown>;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class AutomationRulePageDto {
  @ApiProperty({ type: [AutomationRuleDto] }) items!: AutomationRuleDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional() total?: number;
}

export const RUN_OUTCOMES = ['created', 'skipped', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export class AutomationRunDto {
  @ApiProperty() id!: string;
  @ApiProperty() ruleId!: string;
  @ApiProperty({ enum: ['order', 'opportunity', 'lead'] }) subjectKind!: string;
  @ApiProperty({ description: 'The order, opportunity or lead the run was about' }) subjectId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The event that triggered it; null for the escalation job' }) eventId!: string | null;
  @ApiProperty({ enum: RUN_OUTCOMES, description: 'created: the action made something; skipped: the rule matched but there was nothing to do (see detail); failed: see error (retried when the subject comes up again)' })
  outcome!: RunOutcome;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids of what the run created, e.g. {contractId, instalmentId}, {orderId}, {taskIds, escalatedTo}' })
  created!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Why it was skipped' }) detail!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed' }) error!: string | null;
  @ApiProperty({ description: 'How many times the run was tried (failed runs are retried)' }) attempts!: number;
  @ApiProperty() at!: string;
}

export class AutomationRunPageDto {
  @ApiProperty({ type: [AutomationRunDto] }) items!: AutomationRunDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional() total?: number;
}

export class ListAutomationRunsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RUN_OUTCOMES }) @IsOptional() @IsIn(RUN_OUTCOMES) outcome?: RunOutcome;
}
