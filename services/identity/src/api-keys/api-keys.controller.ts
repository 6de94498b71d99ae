import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { Client, type ClientInfo } from '../common/client-info';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { type Page, PageQueryDto } from '@crm/platform/api';

@ApiTags('api-keys')
@RequirePermissions('api-keys:manage')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Your API keys (an admin sees every key of the tenant)' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(@Query() query: PageQueryDto): Promise<Page<ApiKeyDto>> {
    return this.apiKeys.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key acting as you; the key is shown only in this response' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() body: CreateApiKeyDto, @Client() client: ClientInfo): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body, client);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  revoke(@Param('id') id: string, @Client() client: ClientInfo): Promise<void> {
    return this.apiKeys.revoke(id, client);
  }
}
