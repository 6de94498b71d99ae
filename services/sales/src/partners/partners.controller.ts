import { Body, Controller, Get, Headers, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
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
import {
  CreatePartnerDto,
  ListPartnersQueryDto,
  PartnerAttainmentDto,
  PartnerDto,
  PartnerPageDto,
  PartnerQuotaDto,
  PartnerReportDto,
  PartnerReportQueryDto,
  PeriodQueryDto,
  SetPartnerQuotaDto,
  UpdatePartnerDto,
} from './dto/partner.dto';
import { PartnersService } from './partners.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the partner changed since' };

/** The partner analysis: sales through partners by partner, region or product. */
@ApiTags('reports')
@Controller('reports')
export class PartnerReportController {
  constructor(private readonly partners: PartnersService) {}

  @Get('partners')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Orders, revenue (reporting currency), referral leads and quota attainment through partners, by partner, region or product' })
  @ApiOkResponse({ type: PartnerReportDto })
  report(@Query() query: PartnerReportQueryDto): Promise<PartnerReportDto> {
    return this.partners.report(query);
  }
}

/** Partners and their quotas; sales:configure to write. */
@ApiTags('partners')
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Partners, newest first' })
  @ApiOkResponse({ type: PartnerPageDto })
  list(@Query() query: ListPartnersQueryDto): Promise<Page<PartnerDto>> {
    return this.partners.list(query);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Add a partner' })
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'the name is taken' })
  async create(@Body() body: CreatePartnerDto, @Res({ passthrough: true }) res: Response): Promise<PartnerDto> {
    const partner = await this.partners.create(body);
    res.setHeader('etag', etagOf(partner.version));
    return partner;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A partner' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<PartnerDto> {
    const partner = await this.partners.get(id);
    res.setHeader('etag', etagOf(partner.version));
    return partner;
  }

  @Patch(':id')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Change a partner; absent fields are kept, null clears an optional one' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: PartnerDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdatePartnerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PartnerDto> {
    const { version, ...changes } = body;
    const partner = await this.partners.update(id, changes, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(partner.version));
    return partner;
  }

  @Get(':id/quotas')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: "The partner's quotas, latest period first" })
  @ApiOkResponse({ type: [PartnerQuotaDto] })
  quotas(@Param('id') id: string): Promise<PartnerQuotaDto[]> {
    return this.partners.quotas(id);
  }

  @Put(':id/quotas/:period')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Set the quota of a period (2026, 2026-Q4 or 2026-11) in the reporting currency' })
  @ApiOkResponse({ type: PartnerQuotaDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'not the reporting currency' })
  setQuota(@Param('id') id: string, @Param('period') period: string, @Body() body: SetPartnerQuotaDto): Promise<PartnerQuotaDto> {
    return this.partners.setQuota(id, period, body);
  }

  @Get(':id/attainment')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: "The partner's orders, revenue and referral leads of a period against its quota" })
  @ApiOkResponse({ type: PartnerAttainmentDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  attainment(@Param('id') id: string, @Query() query: PeriodQueryDto): Promise<PartnerAttainmentDto> {
    return this.partners.attainment(id, query.period);
  }
}
