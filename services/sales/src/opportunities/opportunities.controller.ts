import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
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
import { CreateOpportunityDto, ListOpportunitiesQueryDto, MoveStageDto, OpportunityDto, OpportunityPageDto, StageHistoryDto, UpdateOpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesService } from './opportunities.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the opportunity changed since' };

/** Opportunities in the caller's scope: a rep their own, a manager their teams', an admin the tenant's; others are 404. */
@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Opportunities in your scope, newest first; filters: ownerId, customerId, pipelineId, stage, status, leadId' })
  @ApiOkResponse({ type: OpportunityPageDto })
  list(@Query() query: ListOpportunitiesQueryDto): Promise<Page<OpportunityDto>> {
    return this.opportunities.list(query);
  }

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Open an opportunity (first stage of the default pipeline unless told); emits OpportunityOpened' })
  @ApiCreatedResponse({ type: OpportunityDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'Customer not live, owner not assignable, unknown stage' })
  async create(@Body() body: CreateOpportunityDto, @Res({ passthrough: true }) res: Response): Promise<OpportunityDto> {
    const opportunity = await this.opportunities.create(body);
    res.setHeader('etag', etagOf(opportunity.version));
    return opportunity;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'An opportunity in your scope' })
  @ApiOkResponse({ type: OpportunityDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<OpportunityDto> {
    const opportunity = await this.opportunities.get(id);
    res.setHeader('etag', etagOf(opportunity.version));
    return opportunity;
  }

  @Patch(':id')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Change an opportunity; `stage` moves it (history; StageChanged/Won/Lost events; lost needs lostReason; closed ones are 409)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OpportunityDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The opportunity is closed' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdateOpportunityDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OpportunityDto> {
    const opportunity = await this.opportunities.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(opportunity.version));
    return opportunity;
  }

  @Post(':id/stage')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Move an opportunity to a stage (same rules as PATCH {stage})' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OpportunityDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The opportunity is closed' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async moveStage(@Param('id') id: string, @Body() body: MoveStageDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OpportunityDto> {
    const opportunity = await this.opportunities.moveStage(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(opportunity.version));
    return opportunity;
  }

  @Get(':id/stage-history')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Stage moves of an opportunity, oldest first: from, to, at, by, days spent' })
  @ApiOkResponse({ type: StageHistoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async history(@Param('id') id: string): Promise<StageHistoryDto> {
    return { items: await this.opportunities.history(id) };
  }
}
