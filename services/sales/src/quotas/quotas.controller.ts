import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ListQuotasQueryDto, PutQuotasDto, QuotaDto, QuotaListDto, QuotaPageDto } from './dto/quota.dto';
import { QuotasService } from './quotas.service';

/** Quotas per rep or team and period; part of the tenant's sales set-up. */
@ApiTags('quotas')
@Controller('quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Quotas, by period start; filters period, ownerId, teamId, kind' })
  @ApiOkResponse({ type: QuotaPageDto })
  list(@Query() query: ListQuotasQueryDto): Promise<Page<QuotaDto>> {
    return this.quotas.list(query);
  }

  @Put()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Set quotas: each item creates or replaces the quota of one rep (ownerId) or team (teamId) for one period' })
  @ApiOkResponse({ type: QuotaListDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  async put(@Body() body: PutQuotasDto): Promise<QuotaListDto> {
    return { items: await this.quotas.put(body) };
  }
}
