import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ScoringRulesDto, ScoringRulesInputDto } from './dto/scoring-rules.dto';
import { ScoringRulesService } from './scoring-rules.service';

/** The tenant's lead scoring rules: industry fit, company size bands, channel, interactions, recency. */
@ApiTags('leads')
@Controller('leads/scoring-rules')
export class ScoringRulesController {
  constructor(private readonly rules: ScoringRulesService) {}

  @Get()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'The lead scoring rules in force (the defaults, version 0, until the tenant sets its own)' })
  @ApiOkResponse({ type: ScoringRulesDto })
  async get(@Res({ passthrough: true }) res: Response): Promise<ScoringRulesDto> {
    const rules = await this.rules.get();
    res.setHeader('etag', etagOf(rules.version));
    return rules;
  }

  @Put()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Replace the scoring rules; each lead is rescored with them when it next changes' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the rules changed since' })
  @ApiOkResponse({ type: ScoringRulesDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Needs sales:configure' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async replace(@Body() body: ScoringRulesInputDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ScoringRulesDto> {
    const rules = await this.rules.replace(body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(rules.version));
    return rules;
  }
}
