import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import type { Page } from '@crm/platform/api';
import { HandoverPageDto, HandoverReportDto, ListHandoversQueryDto, StartHandoverDto } from './dto/handover.dto';
import { HandoverService } from './handover.service';

/** Handing a leaving user's work to others; managers for their teams' members, admins for anyone. */
@ApiTags('handovers')
@Controller()
export class HandoverController {
  constructor(private readonly handovers: HandoverService) {}

  @Post('users/:id/handover')
  @HttpCode(200)
  @RequirePermissions('sales:handover')
  @ApiOperation({
    summary: "Move the user's open leads, opportunities, contracts and tasks in one transaction and emit HandoverCompleted; dryRun only counts",
  })
  @ApiOkResponse({ type: HandoverReportDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'unknown user, or outside your teams' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'a receiving user is not active, or is the leaving user' })
  handOver(@Param('id') id: string, @Body() body: StartHandoverDto): Promise<HandoverReportDto> {
    return this.handovers.handOver(id, body);
  }

  @Get('handovers')
  @RequirePermissions('sales:handover')
  @ApiOperation({ summary: 'Handovers of users in your scope, newest first' })
  @ApiOkResponse({ type: HandoverPageDto })
  list(@Query() query: ListHandoversQueryDto): Promise<Page<HandoverReportDto>> {
    return this.handovers.list(query);
  }

  @Get('handovers/:id')
  @RequirePermissions('sales:handover')
  @ApiOperation({ summary: 'One handover and what it moved' })
  @ApiOkResponse({ type: HandoverReportDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  get(@Param('id') id: string): Promise<HandoverReportDto> {
    return this.handovers.get(id);
  }
}
