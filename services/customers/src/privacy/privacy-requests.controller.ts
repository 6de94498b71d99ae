import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CreatePrivacyRequestDto, ListPrivacyRequestsQueryDto, PrivacyRequestDto, PrivacyRequestPageDto } from './dto/privacy-request.dto';
import { PrivacyRequestsService } from './privacy-requests.service';

/**
 * PIPL/GDPR requests about one customer: an export (the archive is served by the gateway at
 * `archiveUrl`) or an erasure (done here at once, then confirmed by every participating service).
 */
@ApiTags('privacy')
@Controller('privacy/requests')
@RequirePermissions('privacy:manage')
@ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Needs privacy:manage' })
export class PrivacyRequestsController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Post()
  @ApiOperation({ summary: "Record an export or erasure request; an erasure anonymises the customer's data in this service at once and asks every other service" })
  @ApiCreatedResponse({ type: PrivacyRequestDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The customer was already erased (customer_erased)' })
  create(@Body() body: CreatePrivacyRequestDto): Promise<PrivacyRequestDto> {
    return this.requests.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Privacy requests, newest first; filters status (pending, overdue, completed), type and customerId' })
  @ApiOkResponse({ type: PrivacyRequestPageDto })
  list(@Query() query: ListPrivacyRequestsQueryDto): Promise<Page<PrivacyRequestDto>> {
    return this.requests.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A privacy request with the status of every service taking part' })
  @ApiOkResponse({ type: PrivacyRequestDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  get(@Param('id') id: string): Promise<PrivacyRequestDto> {
    return this.requests.get(id);
  }
}
