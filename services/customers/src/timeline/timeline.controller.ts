import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ListTimelineQueryDto, TimelinePageDto, type TimelineEntryDto } from './dto/timeline.dto';
import { TimelineService } from './timeline.service';

/** What happened with a customer, from every service's events and its own changes. */
@ApiTags('customers')
@Controller('customers/:id/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: "A customer's timeline, newest first; filters type (types or families, several) and from/to" })
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  list(@Param('id') id: string, @Query() query: ListTimelineQueryDto): Promise<Page<TimelineEntryDto>> {
    return this.timeline.list(id, query);
  }
}
