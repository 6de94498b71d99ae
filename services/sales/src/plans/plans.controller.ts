import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
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
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { CreatePlanDto, ListPlansQueryDto, PlanDto, PlanPageDto, UpdatePlanDto, UpdatePlanItemDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) of the plan you read; 412 if it changed since' };

/** Daily, weekly and monthly plans of reps; managers see and edit their teams' members' plans. */
@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Plans in your scope, newest first, with completion' })
  @ApiOkResponse({ type: PlanPageDto })
  list(@Query() query: ListPlansQueryDto): Promise<Page<PlanDto>> {
    return this.plans.list(query);
  }

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Create a plan for a rep and period (one per rep, period type and start)' })
  @ApiCreatedResponse({ type: PlanDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'the rep already has a plan for that period' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  async create(@Body() body: CreatePlanDto, @Res({ passthrough: true }) res: Response): Promise<PlanDto> {
    const plan = await this.plans.create(body);
    res.setHeader('etag', etagOf(plan.version));
    return plan;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A plan with its items and completion' })
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<PlanDto> {
    const plan = await this.plans.get(id);
    res.setHeader('etag', etagOf(plan.version));
    return plan;
  }

  @Patch(':id')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Change notes or replace the items (items with an id are kept)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: PlanDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdatePlanDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanDto> {
    const { version, ...changes } = body;
    const plan = await this.plans.update(id, changes, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(plan.version));
    return plan;
  }

  @Patch(':id/items/:itemId')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Record progress on an item: doneCount, or done true/false' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async updateItem(
    @Param('id') id: string,
    @Param('itemId') itemId: string,
    @Body() body: UpdatePlanItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanDto> {
    const { version, ...progress } = body;
    const plan = await this.plans.updateItem(id, itemId, progress, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(plan.version));
    return plan;
  }
}
