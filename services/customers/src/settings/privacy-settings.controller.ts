import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { PrivacySettingsDto, UpdatePrivacySettingsDto } from './dto/privacy-settings.dto';
import { PrivacySettingsService } from './privacy-settings.service';

/**
 * Data minimisation: which optional sensitive fields the tenant collects. Everyone who writes customers
 * may read it (forms hide what is not collected); changing it is for privacy managers.
 */
@ApiTags('customers')
@Controller('customers/settings/privacy')
export class PrivacySettingsController {
  constructor(private readonly settings: PrivacySettingsService) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'Which optional sensitive customer fields the tenant collects' })
  @ApiOkResponse({ type: PrivacySettingsDto })
  async get(@Res({ passthrough: true }) res: Response): Promise<PrivacySettingsDto> {
    const settings = await this.settings.get();
    res.setHeader('etag', etagOf(settings.version));
    return settings;
  }

  @Put()
  @RequirePermissions('privacy:manage')
  @ApiOperation({ summary: 'Replace the settings; values already stored are kept (erase a customer to remove them)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the settings changed since' })
  @ApiOkResponse({ type: PrivacySettingsDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Needs privacy:manage' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async replace(@Body() body: UpdatePrivacySettingsDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<PrivacySettingsDto> {
    const settings = await this.settings.replace(body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(settings.version));
    return settings;
  }
}
