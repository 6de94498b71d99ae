import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { ActivitiesService } from './activities.service';
import { ActivityDto, ActivityPageDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the activity changed since' };

/** Activities and tasks in the caller's scope (own, team's for a manager, all for an admin); others are 404. */
@ApiTags('activities')
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Activities and tasks in your scope, newest first' })
  @ApiOkResponse({ type: ActivityPageDto })
  list(@Query() query: ListActivitiesQueryDto): Promise<Page<ActivityDto>> {
    return this.activities.list(query);
  }

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Log an activity (emits ActivityLogged) or create an open task (kind task, dueAt)' })
  @ApiCreatedResponse({ type: ActivityDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'a linked record is missing, or the owner is not assignable' })
  async create(@Body() body: CreateActivityDto, @Res({ passthrough: true }) res: Response): Promise<ActivityDto> {
    const activity = await this.activities.create(body);
    res.setHeader('etag', etagOf(activity.version));
    return activity;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'An activity or task in your scope' })
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ActivityDto> {
    const activity = await this.activities.get(id);
    res.setHeader('etag', etagOf(activity.version));
    return activity;
  }

  @Patch(':id')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Change an activity; status done completes an open task (emits ActivityLogged kind task), cancelled cancels it' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'the task is not open' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateActivityDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ActivityDto> {
    const { version, ...changes } = body;
    const activity = await this.activities.update(id, changes, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(activity.version));
    return activity;
  }
}
