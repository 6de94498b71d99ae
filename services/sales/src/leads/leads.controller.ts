import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
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
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CaptureLeadDto, ConvertLeadDto, DisqualifyLeadDto, ListLeadsQueryDto, UpdateLeadDto } from './dto/lead-input.dto';
import { LeadCaptureDto, LeadConversionDto, LeadDto, LeadPageDto } from './dto/lead.dto';
import { LeadsService } from './leads.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the lead changed since' };

/**
 * Leads in the caller's scope: a rep their own, a manager their teams', an admin the tenant's (and the
 * unassigned ones). Others are not found (404), as are other tenants'.
 */
@ApiTags('leads')
@Controller('leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({
    summary: 'Capture a lead from any channel: standardised, deduplicated against open leads and customers, scored and assigned',
    description:
      '201 with the new lead (`outcome: created`; `duplicateOf` set when an open lead has a similar company name: a possible duplicate). ' +
      '200 when the phone or e-mail is an open lead\'s: no new lead is made, the capture is counted on that lead, which is returned (`outcome: merged`, `duplicateOf` = its id). ' +
      'A match with a customer links the lead (`customerId`) and gives it to the customer\'s owner.',
  })
  @ApiCreatedResponse({ type: LeadCaptureDto, description: 'A new lead' })
  @ApiOkResponse({ type: LeadCaptureDto, description: 'Counted on the open lead with the same phone or e-mail' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: '`invalid_lead`: errors[] names each invalid phone, e-mail or missing value' })
  async capture(@Body() body: CaptureLeadDto, @Res({ passthrough: true }) res: Response): Promise<LeadCaptureDto> {
    const result = await this.leads.capture(body);
    res.status(result.outcome === 'created' ? 201 : 200);
    res.setHeader('etag', etagOf(result.version));
    return result;
  }

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Leads in your scope, newest first; filters status, ownerId, channel, minScore' })
  @ApiOkResponse({ type: LeadPageDto })
  list(@Query() query: ListLeadsQueryDto): Promise<Page<LeadDto>> {
    return this.leads.list(query);
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A lead in your scope, with its score reasons' })
  @ApiOkResponse({ type: LeadDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<LeadDto> {
    const lead = await this.leads.get(id);
    res.setHeader('etag', etagOf(lead.version));
    return lead;
  }

  @Patch(':id')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Change an open lead (absent fields kept, null clears); it is rescored; a new ownerId emits LeadAssigned' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: LeadDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: '`lead_already_converted` or `lead_disqualified`' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdateLeadDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<LeadDto> {
    const lead = await this.leads.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(lead.version));
    return lead;
  }

  @Post(':id/convert')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Convert an open lead into a customer (linked, or created by the customers service from LeadConverted) and an opportunity' })
  @ApiOkResponse({ type: LeadConversionDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: '`lead_already_converted` or `lead_disqualified`' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: '`customer_not_found`' })
  convert(@Param('id') id: string, @Body() body: ConvertLeadDto): Promise<LeadConversionDto> {
    return this.leads.convert(id, body);
  }

  @Post(':id/disqualify')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Close an open lead without converting it, with a reason; emits LeadDisqualified' })
  @ApiOkResponse({ type: LeadDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: '`lead_already_converted` or `lead_disqualified`' })
  disqualify(@Param('id') id: string, @Body() body: DisqualifyLeadDto): Promise<LeadDto> {
    return this.leads.disqualify(id, body);
  }
}
