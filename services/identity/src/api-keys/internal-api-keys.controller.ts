import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@crm/platform/auth';
import { ApiKeysService } from './api-keys.service';
import { VerifiedApiKeyDto, VerifyApiKeyDto } from './dto/api-key.dto';

/**
 * The gateway's side door: it resolves `X-API-Key` here. Public as far as users go (the gateway calls
 * with an anonymous credential), but the gateway never routes /api/v1/internal/* from clients, and
 * without the gateway's internal credential the service refuses the call. Not in the public API document.
 */
@ApiExcludeController()
@Controller('internal/api-keys')
export class InternalApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post('verify')
  @Public()
  @HttpCode(200)
  verify(@Body() body: VerifyApiKeyDto): Promise<VerifiedApiKeyDto> {
    return this.apiKeys.verify(body.key);
  }
}
