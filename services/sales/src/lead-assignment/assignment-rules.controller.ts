import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { AssignmentRulesService } from './assignment-rules.service';
import { AssignmentRulesDto, AssignmentRulesInputDto } from './dto/assignment-rules.dto';

/** The tenant's lead assignment rules: ordered matches on region, industry and score band → a team or a user. */
@ApiTags('leads')
@Controller('leads/assignment-rules')
export class AssignmentRulesController {
  constructor(private readonly rules: AssignmentRulesService) {}

  @Get()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'The lead assignment rules in force (the defaults, version 0, until the tenant sets its own)' })
  @ApiOkResponse({ type: AssignmentRulesDto })
  async get(@Res({ passthrough: true }) res: Response): Promise<AssignmentRulesDto> {
    const rules = await this.rules.get();
    res.setHeader('etag', etagOf(rules.version));
    return rules;
  }

  @Put()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Replace the assignment rules; they apply to leads captured from now on' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the rules changed since' })
  @ApiOkResponse({ type: AssignmentRulesDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Needs sales:configure' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async replace(@Body() body: AssignmentRulesInputDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<AssignmentRulesDto> {
    const rules = await this.rules.replace(body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(rules.version));
    return rules;
  }
}
