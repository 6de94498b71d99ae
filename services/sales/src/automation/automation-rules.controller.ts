import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { AutomationRulesService } from './automation-rules.service';
import {
  AutomationRuleDto,
  AutomationRulePageDto,
  AutomationRunDto,
  AutomationRunPageDto,
  CreateAutomationRuleDto,
  ListAutomationRulesQueryDto,
  ListAutomationRunsQueryDto,
  UpdateAutomationRuleDto,
} from './dto/automation-rule.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the rule changed since' };

/**
 * Automation rules ("when X then Y"): order_placed → draft_contract_with_invoice_request,
 * opportunity_won → draft_order, lead_unassigned → escalate_lead. Read: sales:read; write: sales:configure.
 */
@ApiTags('automation-rules')
@Controller('automation-rules')
export class AutomationRulesController {
  constructor(private readonly rules: AutomationRulesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Automation rules of the tenant, newest first; filter by trigger and active' })
  @ApiOkResponse({ type: AutomationRulePageDto })
  list(@Query() query: ListAutomationRulesQueryDto): Promise<Page<AutomationRuleDto>> {
    return this.rules.list(query);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Create a rule; conditions and params are checked per trigger and action' })
  @ApiCreatedResponse({ type: AutomationRuleDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Unknown trigger or action, missing name, unknown fields' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'trigger_action_mismatch, or invalid_automation_rule with errors[] per condition/param' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'automation_rule_name_taken' })
  async create(@Body() body: CreateAutomationRuleDto, @Res({ passthrough: true }) res: Response): Promise<AutomationRuleDto> {
    const rule = await this.rules.create(body);
    res.setHeader('etag', etagOf(rule.version));
    return rule;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A rule' })
  @ApiOkResponse({ type: AutomationRuleDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<AutomationRuleDto> {
    const rule = await this.rules.get(id);
    res.setHeader('etag', etagOf(rule.version));
    return rule;
  }

  @Patch(':id')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Change a rule (absent fields kept; conditions and params are replaced as a whole); active: false pauses it' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AutomationRuleDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdateAutomationRuleDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<AutomationRuleDto> {
    const { version, ...changes } = body;
    const rule = await this.rules.update(id, changes, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(rule.version));
    return rule;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Delete a rule and its runs (what it created stays)' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.rules.delete(id, expectedVersion(ifMatch, undefined));
  }

  @Get(':id/runs')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'What the rule did, newest first: one run per subject (order, opportunity, lead) with outcome created|skipped|failed, created ids, error' })
  @ApiOkResponse({ type: AutomationRunPageDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  runs(@Param('id') id: string, @Query() query: ListAutomationRunsQueryDto): Promise<Page<AutomationRunDto>> {
    return this.rules.runs(id, query);
  }
}
